import type { ApiHeaderOptions } from '@nestjs/swagger';

/** How every command endpoint documents its Idempotency-Key header. */
export const IDEMPOTENCY_KEY_HEADER: ApiHeaderOptions = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Up to 200 printable characters. The same key and body again answers as the first time and changes ' +
    'nothing; the same key with another body is 422 IDEMPOTENCY_KEY_REUSED.',
};
