import { describe, expect, it } from 'vitest';
import { classifyAddress, webhookSender } from '../../shared/vendors/webhook-sender';

/** The SSRF guard of completion webhooks (shared/vendors/webhook-sender.ts): only public addresses are called in production. */
describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['1.1.1.1', 'public'],
    ['119.29.29.29', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['192.169.0.1', 'public'],
    ['223.255.255.255', 'public'],
    ['2400:3200::1', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['169.254.0.23', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['::ffff:127.0.0.1', 'ipv4-mapped'],
    ['::ffff:8.8.8.8', 'ipv4-mapped'],
    ['::ffff:7f00:1', 'ipv4-mapped'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'ipv4-mapped'],
    ['::127.0.0.1', 'ipv4-mapped'],
    ['64:ff9b::a9fe:a9fe', 'translated'],
    ['2002:a9fe:a9fe::1', 'translated'],
    ['2001:0::1', 'reserved'],
    ['2001:db8::1', 'documentation'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['192.0.0.8', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['198.19.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'reserved'],
    ['100::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['[::1]', 'loopback'],
    ['localhost', 'invalid'],
    ['256.1.1.1', 'invalid'],
    ['', 'invalid'],
  ])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
  });
});

describe('webhookSender in production', () => {
  const sender = webhookSender({ publicOnly: true });
  const request = (url: string) => ({ url, headers: {}, body: '{}', timeoutMs: 1000 });

  it.each([
    ['http://example.com/hook', 'refused: only https URLs are called'],
    ['ftp://example.com/hook', 'refused: only https URLs are called'],
    ['https://127.0.0.1/hook', 'refused: the host resolves to a non-public address (loopback)'],
    ['https://[::1]:8443/hook', 'refused: the host resolves to a non-public address (loopback)'],
    ['https://169.254.169.254/latest/meta-data', 'refused: the host resolves to a non-public address (metadata)'],
    ['https://10.1.2.3/hook', 'refused: the host resolves to a non-public address (private)'],
    ['https://[::ffff:10.0.0.1]/hook', 'refused: the host resolves to a non-public address (ipv4-mapped)'],
  ])('refuses %s without sending', async (url, error) => {
    // Act
    const result = await sender.send(request(url));

    // Assert
    expect(result).toEqual({ ok: false, error });
  });
});
