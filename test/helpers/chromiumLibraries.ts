import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

// @sparticuz/chromium's binary links NSS, NSPR and expat, which a slim Debian or Ubuntu image
// lacks. The package ships them (bin/al2023.tar.br) but unpacks them only on Amazon Linux; here
// they are unpacked when the system has not got them, for the browser's environment alone.

const LIBRARIES_DIR = join(tmpdir(), 'roe-chromium-libraries');

/** The LD_LIBRARY_PATH the bundled binary needs, or undefined when the system has every library. */
export function libraryPathFor(executablePath: string): string | undefined {
  if (!missingLibraries(executablePath)) return undefined;
  return [bundledLibraries(), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
}

/** The folder of the libraries the package ships, unpacked on first use. */
export function bundledLibraries(): string {
  const libDir = join(LIBRARIES_DIR, 'lib');
  if (existsSync(join(libDir, 'libnss3.so'))) return libDir;
  // The package exports only its entry (build/cjs/index.cjs): its root is two folders up.
  const archive = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..', 'bin', 'al2023.tar.br');
  unpackTar(brotliDecompressSync(readFileSync(archive)), LIBRARIES_DIR);
  return libDir;
}

function missingLibraries(executablePath: string): boolean {
  try {
    return /not found/.test(execFileSync('ldd', [executablePath], { encoding: 'utf8' }));
  } catch {
    // No ldd (not glibc): nothing to learn, launch as is.
    return false;
  }
}

/** The regular files of a ustar archive; the library archive holds nothing else. */
function unpackTar(archive: Buffer, into: string): void {
  for (let offset = 0; offset + 512 <= archive.length;) {
    const header = archive.subarray(offset, offset + 512);
    const name = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(header.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = archive.subarray(offset + 512, offset + 512 + size);
    if ((type === '0' || type === '\0') && !name.includes('..')) {
      const target = join(into, name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body, { mode: 0o755 });
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}
