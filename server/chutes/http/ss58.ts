// SS58 addresses (Substrate's base58 + blake2b checksum), enough to turn a hotkey into its public key.
import { createHash } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const PREFIX = Buffer.from('SS58PRE');

function base58Decode(text: string): Buffer | undefined {
  let value = 0n;
  for (const char of text) {
    const digit = ALPHABET.indexOf(char);
    if (digit < 0) return undefined;
    value = value * 58n + BigInt(digit);
  }
  const bytes: number[] = [];
  while (value > 0n) {
    bytes.unshift(Number(value % 256n));
    value /= 256n;
  }
  for (const char of text) {
    if (char !== '1') break;
    bytes.unshift(0);
  }
  return Buffer.from(bytes);
}

function base58Encode(bytes: Uint8Array): string {
  let value = 0n;
  for (const b of bytes) value = value * 256n + BigInt(b);
  let out = '';
  while (value > 0n) {
    out = ALPHABET[Number(value % 58n)] + out;
    value /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

const checksum = (payload: Uint8Array) => createHash('blake2b512').update(PREFIX).update(payload).digest().subarray(0, 2);

/** 1 or 2 prefix bytes, 32 key bytes and 2 checksum bytes take at most 50 base58 characters. */
const MAX_ADDRESS_CHARS = 50;

/** The 32-byte public key of an SS58 address (any network prefix), or undefined when it is not one. */
export function decodeSs58(address: string): Uint8Array | undefined {
  // base58 decoding is quadratic in the length: a 16 KB header would cost a second of CPU
  if (address.length > MAX_ADDRESS_CHARS) return undefined;
  const bytes = base58Decode(address);
  if (!bytes || bytes.length < 35) return undefined;
  const prefixLength = (bytes[0] ?? 0) & 0b0100_0000 ? 2 : 1;
  if (bytes.length !== prefixLength + 32 + 2) return undefined;
  const payload = bytes.subarray(0, prefixLength + 32);
  if (!checksum(payload).equals(bytes.subarray(prefixLength + 32))) return undefined;
  return new Uint8Array(bytes.subarray(prefixLength, prefixLength + 32));
}

/** The SS58 address of a public key, with the generic Substrate prefix 42 (what Bittensor hotkeys use). */
export function encodeSs58(publicKey: Uint8Array, prefix = 42): string {
  const payload = Buffer.concat([Buffer.from([prefix]), Buffer.from(publicKey)]);
  return base58Encode(Buffer.concat([payload, checksum(payload)]));
}
