import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, ValidateBy, type ValidationArguments } from 'class-validator';
import { filePathProblem, MAX_FILE_PATH_CHARS, MAX_REVISION_CHARS, revisionProblem } from '@modelpulse/core/links';

/** Applies one of the core's path rules, with its own message naming the field. */
function Satisfies(field: 'file' | 'revision', problem: (value: string, args: ValidationArguments) => string | null) {
  return ValidateBy({
    name: `${field}Rule`,
    validator: {
      // A value that is not a string is IsString's to report.
      validate: (value: unknown, args) => typeof value !== 'string' || problem(value, args!) === null,
      defaultMessage: (args) => problem(String(args!.value), args!) ?? `${field} is not valid`,
    },
  });
}

export class DownloadLinkQuery {
  @ApiPropertyOptional({
    description:
      'A file in the model\u2019s Hugging Face repository, folders separated by `/`; without it the link goes to ' +
      'the repository page. No absolute paths, `.` or `..` segments, backslashes or control characters.',
    example: 'model-00001-of-000163.safetensors',
    maxLength: MAX_FILE_PATH_CHARS,
  })
  @IsOptional()
  @IsString({ message: 'file must be a single path' })
  @Satisfies('file', filePathProblem)
  file?: string;

  @ApiPropertyOptional({
    description: 'Branch, tag or commit of the file (default `main`); only with `file`',
    example: 'main',
    maxLength: MAX_REVISION_CHARS,
  })
  @IsOptional()
  @IsString({ message: 'revision must be a single value' })
  @Satisfies('revision', (value, args) =>
    (args.object as DownloadLinkQuery).file === undefined
      ? 'revision applies to a file: add file=<path>'
      : revisionProblem(value),
  )
  revision?: string;
}
