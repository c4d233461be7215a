import { PodiumError, type FileInvalidReason } from '@podium/protocol';

/** FILE_INVALID with its reason, and a message that says what is wrong in words. */
export function fileInvalid(reason: FileInvalidReason, message: string): PodiumError {
  return new PodiumError('FILE_INVALID', message, { reason });
}

/** The file ended before its format said it would. */
export function truncated(format: string): PodiumError {
  return fileInvalid('truncated', `The ${format} file is incomplete: it ends too early (was the upload cut off?).`);
}
