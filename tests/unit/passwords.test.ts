import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyPassword } from '../../src-main/core/auth/passwords';

describe('scrypt password hashes', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hashPassword('Vigia-Porto-2026');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('Vigia-Porto-2026', hash)).toBe(true);
    expect(await verifyPassword('vigia-porto-2026', hash)).toBe(false);
  });

  it('salts every hash: the same password never hashes the same twice', async () => {
    expect(await hashPassword('Vigia-Porto-2026')).not.toBe(await hashPassword('Vigia-Porto-2026'));
  });

  it('still verifies a hash made with other parameters, and says it should be redone', async () => {
    const old = await hashPassword('Açaí#Torre9x', { N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('Açaí#Torre9x', old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
    expect(needsRehash(await hashPassword('Açaí#Torre9x'))).toBe(false);
  });

  it('treats the same text in composed and decomposed Unicode as one password', async () => {
    const hash = await hashPassword('Ação#Segura12');
    expect(await verifyPassword('Ac\u0327a\u0303o#Segura12', hash)).toBe(true);
  });

  it('never verifies a malformed hash', async () => {
    for (const bad of ['', 'plain', 'scrypt$0$8$1$AAAA$AAAA', 'bcrypt$2$b$c$d$e', 'scrypt$16384$8$1$AAAA$AAAA']) {
      expect(await verifyPassword('anything', bad)).toBe(false);
    }
  });
});
