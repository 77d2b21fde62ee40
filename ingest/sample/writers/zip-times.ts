// A zip archive records each entry's modification time, and the Excel writer stamps the
// current time: the same workbook would differ byte for byte on every run. This sets
// every entry's time to one given moment, in the local headers and the central
// directory (the only places a plain zip keeps it; see PKWARE APPNOTE 4.3.7 and 4.3.12).
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

const endOfCentralDirectory = 0x06054b50;
const centralDirectoryEntry = 0x02014b50;
const localFileHeader = 0x04034b50;

/** MS-DOS time and date words of a moment, from its UTC fields (2-second resolution). */
function dosTimeAndDate(moment: Date): Buffer {
  const words = Buffer.alloc(4);
  words.writeUInt16LE((moment.getUTCHours() << 11) | (moment.getUTCMinutes() << 5) | (moment.getUTCSeconds() >> 1), 0);
  words.writeUInt16LE(((moment.getUTCFullYear() - 1980) << 9) | ((moment.getUTCMonth() + 1) << 5) | moment.getUTCDate(), 2);
  return words;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  readSync(fd, buffer, 0, length, position);
  return buffer;
}

export function stampZipEntryTimes(path: string, moment: Date): void {
  const fd = openSync(path, 'r+');
  try {
    const size = fstatSync(fd).size;
    // The end record is 22 bytes plus a comment of at most 65535 bytes.
    const tailStart = Math.max(0, size - 22 - 65535);
    const tail = readAt(fd, tailStart, size - tailStart);
    let end = tail.length - 22;
    while (end >= 0 && tail.readUInt32LE(end) !== endOfCentralDirectory) end--;
    if (end < 0) throw new Error(`${path}: not a zip archive (no end of central directory)`);
    const entries = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (entries === 0xffff || directoryOffset === 0xffffffff) throw new Error(`${path}: zip64 archives are not supported`);
    const directory = readAt(fd, directoryOffset, directorySize);
    const stamp = dosTimeAndDate(moment);
    for (let at = 0, n = 0; n < entries; n++) {
      if (directory.readUInt32LE(at) !== centralDirectoryEntry) throw new Error(`${path}: damaged central directory`);
      const localOffset = directory.readUInt32LE(at + 42);
      if (readAt(fd, localOffset, 4).readUInt32LE(0) !== localFileHeader) throw new Error(`${path}: damaged local header`);
      writeSync(fd, stamp, 0, 4, directoryOffset + at + 12);
      writeSync(fd, stamp, 0, 4, localOffset + 10);
      at += 46 + directory.readUInt16LE(at + 28) + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
    }
  } finally {
    closeSync(fd);
  }
}
