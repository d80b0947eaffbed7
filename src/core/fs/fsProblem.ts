// What a node file-system error means, in words a user reads next to the path ("<path>: not found").

const FS_PROBLEMS: Readonly<Record<string, string>> = {
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOENT: 'not found',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
};

/** A node fs error: it has an errno code and the system call that failed. */
export function isFsError(error: unknown): error is NodeJS.ErrnoException & { code: string; dest?: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** "is a folder, not a file", "not found", …; undefined for a code without words here. */
export function fsProblem(code: string | undefined): string | undefined {
  return code === undefined ? undefined : FS_PROBLEMS[code];
}
