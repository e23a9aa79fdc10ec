export * from './format';
export * from './chart';
export * from './dto/oembed.dto';
export * from './widget';
export * from './widget-oembed';
export * from './widgets.module';
export * from './widgets.service';
