/**
 * The htpasswd line ingress-nginx reads for basic authentication (`auth` key of the Secret).
 *
 * Format: Apache's `$apr1$` (MD5-crypt, 1000 rounds). nginx verifies it with its own code
 * (ngx_crypt_apr1), so it does not depend on the controller image's libc `crypt()` the way
 * bcrypt or `$6$` would; Node's crypto has no bcrypt. `{SHA}` is also built into nginx but is
 * a single unsalted SHA-1. The password is a long random string, so the hash's speed is not
 * what protects it.
 *
 * The salt is derived from the password (HMAC) instead of drawn at random: the same password
 * always renders the same line, so the Kubernetes Secret does not change on every run.
 */
import { createHash, createHmac } from "crypto";

const ITOA64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const MAGIC = "$apr1$";

function md5(...parts: Buffer[]): Buffer {
  const hash = createHash("md5");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function to64(value: number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) {
    out += ITOA64[value & 0x3f];
    value >>>= 6;
  }
  return out;
}

/** `$apr1$<salt>$<hash>`, byte-for-byte what `openssl passwd -apr1 -salt <salt>` prints. */
export function apr1Hash(password: string, salt: string): string {
  if (!/^[./0-9A-Za-z]{1,8}$/.test(salt)) {
    throw new Error(`apr1 salt "${salt}" must be 1 to 8 characters of [./0-9A-Za-z]`);
  }
  const pw = Buffer.from(password, "utf8");
  const saltBytes = Buffer.from(salt, "ascii");
  const magic = Buffer.from(MAGIC, "ascii");

  const alternate = md5(pw, saltBytes, pw);
  const parts: Buffer[] = [pw, magic, saltBytes];
  for (let left = pw.length; left > 0; left -= 16) parts.push(alternate.subarray(0, Math.min(16, left)));
  for (let i = pw.length; i > 0; i >>= 1) parts.push(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let digest = md5(...parts);

  for (let round = 0; round < 1000; round++) {
    const roundParts: Buffer[] = [round & 1 ? pw : digest];
    if (round % 3) roundParts.push(saltBytes);
    if (round % 7) roundParts.push(pw);
    roundParts.push(round & 1 ? digest : pw);
    digest = md5(...roundParts);
  }

  const d = digest;
  const encoded =
    to64((d[0] << 16) | (d[6] << 8) | d[12], 4) +
    to64((d[1] << 16) | (d[7] << 8) | d[13], 4) +
    to64((d[2] << 16) | (d[8] << 8) | d[14], 4) +
    to64((d[3] << 16) | (d[9] << 8) | d[15], 4) +
    to64((d[4] << 16) | (d[10] << 8) | d[5], 4) +
    to64(d[11], 2);
  return `${MAGIC}${salt}$${encoded}`;
}

/** Eight salt characters derived from the password, so the rendered line is stable. */
export function derivedSalt(password: string): string {
  const bytes = createHmac("sha256", password).update("ingress-nginx basic-auth salt").digest();
  let salt = "";
  for (let i = 0; i < 8; i++) salt += ITOA64[bytes[i] & 0x3f];
  return salt;
}

/** One `user:hash` line for the ingress-nginx `auth` Secret key. */
export function htpasswdLine(username: string, password: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(username)) {
    throw new Error(`basic-auth username "${username}" may only contain letters, digits, '.', '_' and '-'`);
  }
  if (password.length < 16) throw new Error("basic-auth password is shorter than 16 characters");
  return `${username}:${apr1Hash(password, derivedSalt(password))}`;
}
