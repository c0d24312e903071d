import { createHash, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readPrivateKey } from '../../shared/vendors/payment-keys';
import {
  buildAuthorization,
  decryptResource,
  jsapiPayParams,
  signatureMessage,
  signSha256Rsa,
  verifyWechatSignature,
  WECHAT_PROBE_SIGNATURE_PREFIX,
} from '../../shared/vendors/wechat-pay';

/**
 * WeChat Pay v3 signatures and resource decryption against fixed vectors (payments.md §1.4, §5.1).
 * The key is WeChat's published test key apiclient_test_key.pem from the official
 * "APP/小程序调起支付签名" page (a public test key, not ours; it signs nothing real).
 */
const WECHAT_TEST_KEY = `-----BEGIN RSA PRIVATE KEY-----
MIIEogIBAAKCAQEAptpm+qvIDCh/9wjU26SQCK26ogYkBhDrYxnAaw2JbbBsp1oD
bHKk+1r381NeBUG2HEFAuU+Fr72u5ot3yKdzoF/FajAzQNKnm569/D3upKoi8mYB
aST15Uig8j8qoUW1U217LL0jEHlSnHV3lcaDTXqDpTRR4Bfz9IqOgJgFZ8/oTfEo
mSrjrLYef81Eyxr7ZIMQXEKKEK7V4UXKS0+/fDsiG/cXidhzt8UbTL9vqXqxM2+I
DImyO+FAc/tkBG55LmzxPto1Nq0WbnZzRM/wTzrd0I/8NlevxtFbphg4evlHjFNI
7+GrqR87ViEwuAJJ9Je5QQjct5YJfFRWiZ5CMQIDAQABAoIBAGBi/GhEgezcHIg1
ltlHaFlLGuxsRbUnYwM9phVxnXk7GJlYe2/TjpERjPkIqOC6hBwwadZjJORP3FCc
Mtc8PKRhjuZ377O7vU0915x2nnyLOGL1IE2AJ3iLi0ZFzTea0FPgg+5lWHM00s9F
YI6qPcGtS41M+xtMWwZiYE3TBBRibHiY8ugGyaNAhiMKehyW05uApjlIF55wwCGx
BkyESJpGRR/6853iHke6Ge+xVcMa9QmQdoH0QqL/8kT28PL568mJJr0Ow/83t4+d
Pe70YPzKAxgUnaDsHJqO+b8qH69AEs8rTI5h2Mon6pH+bJT66KUoiXhn+Kf+4LSs
henRP10CgYEA1QJSfuFOWVRjrg3N/rAIc/Ak84BTZavbyrkqBSuoTs9i/nMI/hOz
VxpDntg7Bx2Tctl6sZO3GioTxKdc/YYaTKci1TKBbeginpsqEQVgwkMCy8HpvUmR
fyAMqLwZC4h9+j+NiZtuoFJDTCgv+WYbasX+kWYEUM21bnSYuO7yEQsCgYEAyIdP
r9uzqPgzN34Tmx+CNTa16VjhBh+zkBtXRLDLhWBeIYxoYNJARD98Pb1XZdvpkZZW
Sk7MfaKo2/DomzyyyB/MbHWwAdFi3yb4y7uMJfyC1MzdUSNN3Vp579hJxHkJ+nN4
Ys76yfcEeVOLnvUT1Z0KKCdIWRdT1Lgi+X1itzMCgYBJUXlPzwGG4fNFj97d0X23
Wmt9nSgXkOYgi0eZbAOMzPmIF9R6kBFk49dur4Lx2g5Ms+r1gKC/0sfnIqxxX11i
EQ1+UNoYGJUB/uql3TIG68XkmKR50P7RwRhaZBRC0gJ6xrFTMjsL2ATuC88niyvY
vrn3FiRaI9RVZrDCxwxvLQKBgEXW4okEAqGBuAzGqztmkOnJoTehDdYdKmOxMgap
cGiGdKJIjX3THDDoz3ONQyglnEZpTqpYoV3MTfU0BT8zt6x9bqwDnQY1D7NalmIW
cqw0Mri8lQQSQKcsQLWo5aA466G/n5kCL1Qx5OwAjesRvhOyuvvbGpZ0ymyWqQ+t
fLkDAoGATcul1L8y5D/wNVP1GXbXMZfBsFP3bbqy8c+Ashm6g8OLm2mGNntd5Z6h
1KkID7Yksh+dZ6t7XaPBtGACXX5Eryr537JVvdX8hAVCp5HVtaN/9VBVP8Ka2e4s
VS/xeNgOMQ7uzhRPBJ8HiTmdI1nHhDnYQpGiBgQn0Z5RAkSvFMk=
-----END RSA PRIVATE KEY-----`;
const testKey = readPrivateKey(WECHAT_TEST_KEY, 'WECHAT_TEST_KEY');

describe('JSAPI paySign', () => {
  it('reproduces WeChat’s official test vector exactly', () => {
    // Arrange: the values of the official example (payments.md §1.4)
    const input = { appId: 'wx2421b1c4370ec43b', timestamp: 1554208460, nonce: '593BEC0C930BF1AFEB40B4A08C8FB242', prepayId: 'wx201410272009395522657a690389285100', privateKey: testKey };

    // Act
    const params = jsapiPayParams(input);

    // Assert
    expect(params).toEqual({
      appId: 'wx2421b1c4370ec43b',
      timeStamp: '1554208460',
      nonceStr: '593BEC0C930BF1AFEB40B4A08C8FB242',
      package: 'prepay_id=wx201410272009395522657a690389285100',
      signType: 'RSA',
      paySign:
        'mI35pfNEQV6777ke/1T+LJLQDNTm7yeoUJH+j/adPGhmCCi0PbgkvYQTRcXH0uibcLVtvFLdGLpmoYO9FV6lBBsTAjuhh5YOvQi0e2g3e0yytitiNET9FEuqM0pjnKfRW4K6LIZDdbWJv9KhZUx3DrJa5TL7OJ7VdADVivxVySIlPVKjGwuCXzuXSJes0UcILgWQUMyha5/3nYofuHtS7r+KYyMuxD+oJ9VM1Qdxk4UIG59CP5Y3wtYIFybyF3bdu1caHTRRX+DLyMXyYA/IrTmiW01c4RPjpHBX5Dk1sZyY1zVsWNsvMHr2e1NTWtBxKJ+qk5N61J7caYoepHFaxw==',
    });
  });

  it('uses the key the reference names (SPKI sha256 0076df93…)', () => {
    const spki = createPublicKey(testKey).export({ type: 'spki', format: 'der' });
    expect(createHash('sha256').update(spki).digest('hex')).toBe('0076df9361cc1f5744359234d7df9fd43442cf369fb98826562f1d10a347ec5c');
  });

  it('signs the prefixed package, not the bare prepay_id (that is the APP variant)', () => {
    const app = signSha256Rsa('wx2421b1c4370ec43b\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\nwx201410272009395522657a690389285100\n', testKey);
    expect(app.startsWith('gXx9KhTP6Ioo')).toBe(true);
    expect(app.endsWith('CK+lS3Q==')).toBe(true);
  });
});

describe('request signature (Authorization)', () => {
  it('signs METHOD, path with query, timestamp, nonce and an empty GET body, each line ending in \\n (payments.md §5.1)', () => {
    // Act
    const header = buildAuthorization({
      mchId: '1900000000',
      serialNo: 'SERIAL',
      privateKey: testKey,
      method: 'GET',
      pathWithQuery: '/v3/pay/transactions/out-trade-no/M20250101000001?mchid=1900000000',
      body: '',
      timestamp: 1554208460,
      nonce: '593BEC0C930BF1AFEB40B4A08C8FB242',
    });

    // Assert
    const signature = /signature="([^"]+)"/.exec(header)?.[1] ?? '';
    expect(header).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900000000",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="[^"]+",timestamp="1554208460",serial_no="SERIAL"$/);
    expect(signature.startsWith('Nu6dqUxEOfYAeVukNCrMxNd6fds52bpisJR7qSRaw34lYvEw')).toBe(true);
    expect(signature.endsWith('tcBsMH5VDg==')).toBe(true);
  });

  it('signs a JSON body exactly as sent (the documentation’s JSAPI example)', () => {
    const body = JSON.stringify({
      appid: 'wxd678efh567hg6787',
      mchid: '1900007291',
      description: 'Image形象店-深圳腾大-QQ公仔',
      out_trade_no: '1217752501201407033233368018',
      notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
      amount: { total: 100, currency: 'CNY' },
      payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    });
    const header = buildAuthorization({ mchId: '1900007291', serialNo: 'S', privateKey: testKey, method: 'POST', pathWithQuery: '/v3/pay/transactions/jsapi', body, timestamp: 1554208460, nonce: '593BEC0C930BF1AFEB40B4A08C8FB242' });
    expect(/signature="([^"]+)"/.exec(header)?.[1]).toBe(
      'jnks4dlrPw3ZX+ozVvSK39oa0t7OMBsg83BHAwd8BRdUFiVaQNTLTvci+wURgP1OQBbKYhFGvt7iqYpDSTQkp7Uq1sltaQKyncCyrA1g88m5bsKERQfPyT0ahSwKTYJ1CAn9QiJuSJRq1QsQs07eehbU/k9BCS51jTyc1Jpsi2H77HF9f/BnjXAOP3/sPObg6V5Ee4EzwLox684hhuMuIwHo7D8KFk3LIHOKDcNI4It1aCXydFWNpNK+SG86VUDe5kwoDpw4Ulqfu9z8OFDGbDs9TCxEv8iqQzbpxOlEVoOe2kalSYM5kApQb3nZcxdUtoE0liJGW3RGUNE0t4v01A==',
    );
  });
});

describe('resource decryption (AES-256-GCM)', () => {
  const vector = {
    ciphertext: 'Eu6myr+6GaECeJdOZPZ6BX5lij2Vohspf9pbw6Eor54J6prefQGx4A8pw4Iiseaw8SDSwJlkDdmqkDsswI+yfPXDubCHgQ0VTW2t4j4IxNN0gTqYlw==',
    nonce: 'abcdefghijkl',
    associatedData: 'transaction',
  };

  it('decrypts the vector of payments.md §5.1 with the APIv3 key as UTF-8 bytes', () => {
    expect(decryptResource(vector, '0123456789abcdef0123456789abcdef')).toBe('{"out_trade_no":"T1","trade_state":"SUCCESS","amount":{"total":9900}}');
  });

  it.each([
    ['another APIv3 key', { ...vector }, '0123456789abcdef0123456789abcdeX'],
    ['a 34-character key (a copy-paste slip)', { ...vector }, '0123456789abcdef0123456789abcdef\r\n'],
    ['another associated_data', { ...vector, associatedData: 'refund' }, '0123456789abcdef0123456789abcdef'],
    ['a flipped ciphertext byte', { ...vector, ciphertext: `F${vector.ciphertext.slice(1)}` }, '0123456789abcdef0123456789abcdef'],
    ['a truncated ciphertext', { ...vector, ciphertext: 'AAAA' }, '0123456789abcdef0123456789abcdef'],
  ])('refuses %s', (_label, resource, key) => {
    expect(() => decryptResource(resource, key)).toThrow();
  });
});

describe('verifying WeChat’s signatures', () => {
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keys = new Map([['PUB_KEY_ID_TEST', platform.publicKey]]);
  const body = Buffer.from('{"id":"EV-1","event_type":"TRANSACTION.SUCCESS"}');
  const timestamp = 1_700_000_000;
  const signed = (overrides: Partial<Record<'timestamp' | 'nonce' | 'signature' | 'serial', string>> = {}) => ({
    timestamp: String(timestamp),
    nonce: 'NONCE123',
    signature: signSha256Rsa(signatureMessage([String(timestamp), 'NONCE123', body]), platform.privateKey),
    serial: 'PUB_KEY_ID_TEST',
    ...overrides,
  });

  it('accepts a genuine signature up to 300 s either way', () => {
    expect(verifyWechatSignature(signed(), body, keys, timestamp + 300)).toEqual({ ok: true });
    expect(verifyWechatSignature(signed(), body, keys, timestamp - 300)).toEqual({ ok: true });
  });

  it.each([
    ['301 s late', signed(), body, timestamp + 301, 'stale-timestamp'],
    ['301 s early', signed(), body, timestamp - 301, 'stale-timestamp'],
    ['an unknown serial', signed({ serial: 'PUB_KEY_ID_OTHER' }), body, timestamp, 'unknown-serial'],
    ['the probe signature', signed({ signature: `${WECHAT_PROBE_SIGNATURE_PREFIX}AAAA` }), body, timestamp, 'probe'],
    ['a body changed by one byte', signed(), Buffer.from(body.toString().replace('EV-1', 'EV-2')), timestamp, 'bad-signature'],
    ['a signature that is not base64', signed({ signature: '***' }), body, timestamp, 'bad-signature'],
    ['another nonce', signed({ nonce: 'OTHER' }), body, timestamp, 'bad-signature'],
    ['a missing header', signed({ nonce: '' }), body, timestamp, 'missing-headers'],
  ])('rejects %s', (_label, headers, payload, now, reason) => {
    expect(verifyWechatSignature(headers, payload, keys, now)).toEqual({ ok: false, reason });
  });

  it('verifies over raw bytes, so a body that is not valid UTF-8 is not re-encoded first', () => {
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const headers = { ...signed(), signature: signSha256Rsa(signatureMessage([String(timestamp), 'NONCE123', raw]), platform.privateKey) };
    expect(verifyWechatSignature(headers, raw, keys, timestamp)).toEqual({ ok: true });
    expect(verify('sha256', signatureMessage([String(timestamp), 'NONCE123', Buffer.from(raw.toString('utf8'))]), platform.publicKey, Buffer.from(headers.signature, 'base64'))).toBe(false);
  });
});
