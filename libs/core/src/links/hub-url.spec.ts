import { filePathProblem, hubUrl, revisionProblem } from './hub-url';

describe('tracked link targets', () => {
  const hub = 'https://huggingface.co';

  it('sends a file to the hub resolve URL of its revision, main by default', () => {
    expect(hubUrl(hub, 'deepseek-ai/DeepSeek-R1', 'config.json', null)).toBe(
      'https://huggingface.co/deepseek-ai/DeepSeek-R1/resolve/main/config.json',
    );
    expect(hubUrl(hub, 'Qwen/QwQ-32B-GGUF', 'gguf/qwq 32b Q4_K_M#1.gguf', 'refs/pr/1')).toBe(
      'https://huggingface.co/Qwen/QwQ-32B-GGUF/resolve/refs%2Fpr%2F1/gguf/qwq%2032b%20Q4_K_M%231.gguf',
    );
  });

  it('sends a link without a file to the repository page', () => {
    expect(hubUrl('http://127.0.0.1:4010', 'meta-llama/Llama-3.1-8B', null, null)).toBe(
      'http://127.0.0.1:4010/meta-llama/Llama-3.1-8B',
    );
  });

  it.each(['model.safetensors', 'onnx/model.onnx', 'a/b/c..d', '.gitattributes', 'x'.repeat(1000)])(
    'takes %p as a file path',
    (file) => {
      expect(filePathProblem(file)).toBeNull();
    },
  );

  it.each([
    ['', 'file must not be empty'],
    ['x'.repeat(1001), 'file must be at most 1000 characters'],
    ['/etc/passwd', 'file must be a path inside the repository, not an absolute path'],
    ['../other/repo', 'file must not contain . or .. segments'],
    ['onnx/../../x', 'file must not contain . or .. segments'],
    ['./model.onnx', 'file must not contain . or .. segments'],
    ['onnx\\model.onnx', 'file must use / between folders, not backslashes'],
    ['model\n.onnx', 'file must not contain control characters'],
    ['model\u007f', 'file must not contain control characters'],
    ['onnx//model.onnx', 'file must not contain empty segments (// or a trailing /)'],
    ['onnx/', 'file must not contain empty segments (// or a trailing /)'],
  ])('refuses the file %p: %s', (file, problem) => {
    expect(filePathProblem(file)).toBe(problem);
  });

  it.each(['main', 'v1.0', 'refs/pr/1', '5f0b02c75b57c5855da9ae460ce51323ea669d8a', 'release_2025-01'])(
    'takes %p as a revision',
    (revision) => {
      expect(revisionProblem(revision)).toBeNull();
    },
  );

  it.each(['', '..', 'main/../x', '/main', 'main/', '-x', 'a b', 'a\\b', 'x'.repeat(256), 'ma\tin'])(
    'refuses the revision %p',
    (revision) => {
      expect(revisionProblem(revision)).toMatch(/^revision must be a branch, tag or commit/);
    },
  );
});
