// @ts-check
'use strict';
// Reading inputs and writing files: -o/--output and --write replace a file atomically (a temporary file in
// the same directory, then a rename), write through symlinks, keep hard links, and write devices in place.

const fs = require('node:fs');
const path = require('node:path');
const { errorLine } = require('./safe.js');

/** @typedef {{file: string, stdin?: boolean}} Input */

/** @type {Record<string, string>} */
const IO_REASONS = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
};

/**
 * The `code` of a Node.js system error, if any.
 * @param {unknown} err
 * @returns {string | undefined}
 */
function errCode(err) {
  const code = err && typeof err === 'object' && 'code' in err ? err.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * @param {unknown} err
 * @param {Record<string, string>} reasons
 */
function reason(err, reasons) {
  const code = errCode(err);
  return (code && reasons[code]) || (err instanceof Error ? err.message : String(err));
}

/**
 * @param {string} file
 * @param {unknown} err
 */
function ioMessage(file, err) {
  const what = file === '-' ? 'standard input' : `'${file}'`;
  return `cannot read ${what}: ${reason(err, IO_REASONS)}`;
}

/**
 * A synchronous file operation on `file`, whose failure becomes a line (ioMessage) in `problems`: undefined then.
 * @template T
 * @param {string} file
 * @param {() => T} op
 * @param {string[]} problems
 * @returns {T | undefined}
 */
function tryIo(file, op, problems) {
  try {
    return op();
  } catch (err) {
    problems.push(ioMessage(file, err));
    return undefined;
  }
}

/**
 * @param {string | undefined} file
 * @param {unknown} err
 */
function writeMessage(file, err) {
  const reasons = { ...IO_REASONS, ENOENT: 'no such directory', ENXIO: 'cannot be opened for writing (a socket?)' };
  return `cannot write '${file}': ${reason(err, reasons)}`;
}

/**
 * A plain Uint8Array over the bytes (a Buffer may be a view into a shared pool).
 * @param {Buffer} buf
 */
function bytesOf(buf) {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

async function readStdin() {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * @param {Input} input
 * @returns {Promise<Buffer>}
 */
async function readInput(input) {
  if (input.stdin) return readStdin();
  return fs.readFileSync(input.file);
}

/**
 * `read` (readInput unless given), with a failure reported on standard error (one line) instead of thrown:
 * null then.
 * @template [R=Buffer]
 * @param {Input} input
 * @param {(input: Input) => Promise<R>} [read]
 * @returns {Promise<R | null>}
 */
async function readOrReport(input, read = /** @type {(input: Input) => Promise<any>} */ (readInput)) {
  try {
    return await read(input);
  } catch (err) {
    errorLine(ioMessage(input.file, err));
    return null;
  }
}

// The process's own standard streams: written through the stream, never opened or replaced.
const STD_STREAMS = new Map([
  ['/dev/stdout', 1], ['/dev/fd/1', 1], ['/proc/self/fd/1', 1],
  ['/dev/stderr', 2], ['/dev/fd/2', 2], ['/proc/self/fd/2', 2],
]);

/**
 * The text to standard output, or to `outputFile` (see writeTarget).
 * @param {string} text
 * @param {string | undefined} outputFile
 */
function writeOut(text, outputFile) {
  if (outputFile === undefined || outputFile === '-') {
    process.stdout.write(text);
  } else {
    writeTarget(outputFile, text);
  }
}

/**
 * @param {string} message
 * @param {string} code
 */
const sysError = (message, code) => Object.assign(new Error(message), { code });

/**
 * Writes data to `file` according to what the name refers to:
 * - a regular file with one link (or no file yet): a temporary file in the same directory, then a rename,
 *   so readers see the old or the new content, never a mix. Mode and (where the process may set it) owner
 *   and group are kept; when the owner cannot be kept but the file is writable, it is rewritten in place;
 * - a regular file with several hard links: rewritten in place (same inode), so every link sees the change;
 * - a symlink: written through to its target with these rules (the link stays a link; a dangling link
 *   gets its target created);
 * - a character or block device, a FIFO: opened and written in place (nothing is created or renamed);
 * - /dev/stdout, /dev/stderr (and their /dev/fd, /proc/self/fd names): the process's own stream.
 * Returns how the file was written ('replaced', 'in place', 'stream').
 * @param {string} file
 * @param {string} data
 */
function writeTarget(file, data) {
  const std = STD_STREAMS.get(path.resolve(file));
  if (std !== undefined) {
    (std === 1 ? process.stdout : process.stderr).write(data);
    return 'stream';
  }
  /** @type {fs.Stats | null} */
  let st = null;
  try {
    st = fs.statSync(file); // follows symlinks
  } catch (err) {
    if (errCode(err) !== 'ENOENT') throw err;
  }
  if (st === null) return replaceFile(finalLinkTarget(file), data, null); // new file (or a dangling link's target)
  if (st.isDirectory()) throw sysError('is a directory', 'EISDIR');
  if (!st.isFile()) return writeInPlace(file, data, false); // device, FIFO (a socket fails to open: ENXIO)
  const real = fs.realpathSync(file);
  if (st.nlink > 1) return writeInPlace(real, data, true);
  return replaceFile(real, data, st);
}

/**
 * writeTarget, with a failure reported on standard error (one line) instead of thrown. Returns whether the
 * file was written.
 * @param {string} file
 * @param {string} data
 */
function writeOrReport(file, data) {
  try {
    writeTarget(file, data);
    return true;
  } catch (err) {
    errorLine(writeMessage(file, err));
    return false;
  }
}

/**
 * Follows a chain of symlinks whose end does not exist; returns the path to create.
 * @param {string} file
 */
function finalLinkTarget(file) {
  let p = file;
  for (let hops = 0; hops < 40; hops++) {
    let lst;
    try {
      lst = fs.lstatSync(p);
    } catch (err) {
      if (errCode(err) === 'ENOENT') return p;
      throw err;
    }
    if (!lst.isSymbolicLink()) return p;
    p = path.resolve(path.dirname(p), fs.readlinkSync(p));
  }
  throw sysError('too many levels of symbolic links', 'ELOOP');
}

/**
 * Opens an existing file for writing without creating or replacing it; truncates regular files.
 * @param {string} file
 * @param {string} data
 * @param {boolean} regular
 */
function writeInPlace(file, data, regular) {
  const fd = fs.openSync(file, fs.constants.O_WRONLY | (fs.constants.O_NOCTTY || 0));
  try {
    fs.writeFileSync(fd, data);
    if (regular) {
      fs.ftruncateSync(fd, Buffer.byteLength(data));
      fs.fsyncSync(fd);
    }
  } finally {
    fs.closeSync(fd);
  }
  return 'in place';
}

/**
 * Temporary file + rename in the target's directory.
 * @param {string} target
 * @param {string} data
 * @param {fs.Stats | null} st the stat of the file it replaces, or null
 */
function replaceFile(target, data, st) {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2, 8)}.tmp`);
  /** @type {number | undefined} */
  let fd;
  try {
    fd = fs.openSync(tmp, 'wx', st ? st.mode & 0o777 : 0o644);
  } catch (err) {
    // A directory we may not create files in, but a file we may write: rewrite it in place.
    if (st && (errCode(err) === 'EACCES' || errCode(err) === 'EPERM')) return writeInPlace(target, data, true);
    throw err;
  }
  let renamed = false;
  try {
    if (st) {
      const own = fs.fstatSync(fd);
      if (own.uid !== st.uid || own.gid !== st.gid) {
        try {
          fs.fchownSync(fd, st.uid, st.gid); // root can; others only to a group they belong to
        } catch {
          let writable = false;
          try {
            fs.accessSync(target, fs.constants.W_OK);
            writable = true;
          } catch {
            /* not writable: replacing it (with this process as owner) is the only way */
          }
          if (writable) {
            fs.closeSync(fd);
            fd = undefined;
            fs.unlinkSync(tmp);
            return writeInPlace(target, data, true);
          }
        }
      }
      fs.fchmodSync(fd, st.mode & 0o7777); // after chown, which clears set-user-ID bits
    }
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
    renamed = true;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    if (!renamed) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* already gone */
      }
    }
  }
  return 'replaced';
}

module.exports = { ioMessage, tryIo, writeMessage, bytesOf, readInput, readOrReport, writeOut, writeTarget, writeOrReport };
