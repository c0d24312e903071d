import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeParams, parseFormParams, signContent, signedMemberText, signRequestParams, verifyNotificationParams } from '../../shared/vendors/alipay';
import { fenToYuan, yuanToFen } from '../../shared/vendors/payment-money';
import { fromAlipayTime, toAlipayTime, toWechatTime } from '../../shared/vendors/payment-time';

const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** Signs parameters the way Alipay signs a notification (everything but sign and sign_type). */
function signedNotification(params: Record<string, string>): Record<string, string> {
  const signature = sign('sha256', Buffer.from(signContent(params, ['sign', 'sign_type'])), alipay.privateKey).toString('base64');
  return { ...params, sign_type: 'RSA2', sign: signature };
}

describe('Alipay signing content', () => {
  it('sorts by key, joins k=v with &, drops empty values and the excluded keys, keeps values raw', () => {
    // Arrange
    const params = { total_amount: '99.00', app_id: '2021', subject: '会员 100% + 加量', sign: 'xyz', sign_type: 'RSA2', body: '', charset: 'utf-8' };

    // Act
    const content = signContent(params, ['sign', 'sign_type']);

    // Assert
    expect(content).toBe('app_id=2021&charset=utf-8&subject=会员 100% + 加量&total_amount=99.00');
  });

  it('signs requests over every parameter but sign, sign_type included', () => {
    const signed = signRequestParams({ method: 'alipay.trade.query', app_id: '2021', sign_type: 'RSA2' }, alipay.privateKey);
    expect(signContent(signed, ['sign'])).toBe('app_id=2021&method=alipay.trade.query&sign_type=RSA2');
    expect(signed.sign).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('orders keys by code unit, so upper case sorts before lower case and _ between them', () => {
    expect(signContent({ b: '1', B: '2', a_b: '3', ab: '4' }, [])).toBe('B=2&a_b=3&ab=4&b=1');
  });
});

describe('Alipay notification verification', () => {
  const params = { app_id: '2021000000000001', out_trade_no: 'order_1', total_amount: '99.00', trade_status: 'TRADE_SUCCESS', subject: '会员 100% + a+b=c&d' };

  it('accepts a genuine notification after one form decoding: % and + and Chinese survive', () => {
    // Arrange: the wire form, with %XX escapes and + for spaces, as a form encoder writes it
    const wire = Buffer.from(new URLSearchParams(signedNotification(params)).toString());

    // Act
    const decoded = parseFormParams(wire);

    // Assert
    expect(wire.toString()).toContain('subject=%E4%BC%9A%E5%91%98+100%25+%2B+a%2Bb%3Dc%26d');
    expect(decoded?.subject).toBe('会员 100% + a+b=c&d');
    expect(verifyNotificationParams(decoded ?? {}, alipay.publicKey)).toBe(true);
  });

  it('accepts the same notification with %20 for spaces and raw UTF-8 bytes', () => {
    const signed = signedNotification(params);
    const wire = Object.entries(signed)
      .map(([key, value]) => `${key}=${key === 'subject' ? value.replace(/[%+&=]/g, encodeURIComponent).replace(/ /g, '%20') : encodeURIComponent(value)}`)
      .join('&');
    expect(verifyNotificationParams(parseFormParams(Buffer.from(wire, 'utf8')) ?? {}, alipay.publicKey)).toBe(true);
  });

  it.each([
    ['an amount edited after signing', { total_amount: '0.01' }],
    ['a status edited after signing', { trade_status: 'TRADE_FINISHED' }],
    ['a subject whose + became spaces (form-decoded twice)', { subject: '会员 100%   a b=c&d' }],
    ['a sign_type other than RSA2', { sign_type: 'RSA' }],
    ['an empty sign', { sign: '' }],
    ['a sign that is not base64', { sign: '!!!' }],
  ])('rejects %s', (_label, change) => {
    expect(verifyNotificationParams({ ...signedNotification(params), ...change }, alipay.publicKey)).toBe(false);
  });

  it('treats a repeated field as unreadable (the signature would cover one value, the checks another)', () => {
    expect(parseFormParams(Buffer.from('out_trade_no=a&total_amount=99.00&out_trade_no=b'))).toBeUndefined();
  });

  it('reads a broken %-escape without throwing (the signature then fails)', () => {
    expect(parseFormParams(Buffer.from('subject=100%ZZ&sign=x'))).toEqual({ subject: '100%ZZ', sign: 'x' });
  });

  it('encodes parameters so that one form decoding gives them back', () => {
    const original = { subject: '会员 100% + a+b=c&d', biz_content: '{"a":"b c"}' };
    expect(parseFormParams(Buffer.from(encodeParams(original)))).toEqual(original);
  });
});

describe('the signed member of an Alipay answer', () => {
  it('is the exact text of the member, braces and quotes inside strings included', () => {
    const member = '{"code":"10000","msg":"Success","subject":"a } \\" { b","nested":{"x":1}}';
    const text = `{"alipay_trade_query_response":${member},"sign":"abc"}`;
    expect(signedMemberText(text, 'alipay_trade_query_response')).toBe(member);
  });

  it('keeps the whitespace and key order as sent', () => {
    expect(signedMemberText('{ "m" :  {"b":1, "a":2} , "sign":"x"}', 'm')).toBe('{"b":1, "a":2}');
  });

  it('is undefined when the member is missing, not an object, or unterminated', () => {
    expect(signedMemberText('{"error_response":{}}', 'alipay_trade_query_response')).toBeUndefined();
    expect(signedMemberText('{"m":"text"}', 'm')).toBeUndefined();
    expect(signedMemberText('{"m":{"a":1', 'm')).toBeUndefined();
  });
});

describe('money and time', () => {
  it.each([
    ['99.00', 9900],
    ['99', 9900],
    ['99.5', 9950],
    ['0.01', 1],
    ['100000000.00', 10_000_000_000],
  ])('yuan %s is %d fen', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it.each(['99.001', '-1.00', '9,900', '1e3', ' 99.00', '099.00', '', '99.'])('"%s" is not an amount', (yuan) => {
    expect(yuanToFen(yuan)).toBeUndefined();
  });

  it.each([
    [9900, '99.00'],
    [1, '0.01'],
    [10, '0.10'],
    [0, '0.00'],
  ])('%d fen is %s yuan', (fen, yuan) => {
    expect(fenToYuan(fen)).toBe(yuan);
  });

  it('writes Beijing time for both platforms and reads Alipay’s back', () => {
    const instant = new Date('2025-01-01T02:30:05.678Z');
    expect(toWechatTime(instant)).toBe('2025-01-01T10:30:05+08:00');
    expect(toAlipayTime(instant)).toBe('2025-01-01 10:30:05');
    expect(fromAlipayTime('2025-01-01 10:30:05')?.toISOString()).toBe('2025-01-01T02:30:05.000Z');
    expect(fromAlipayTime('2025-01-01T10:30:05')).toBeUndefined();
  });
});
