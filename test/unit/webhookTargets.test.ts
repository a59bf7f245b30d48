import { forbiddenAddress, resolveTarget, targetUrlProblem } from '../../src/webhooks/targets';

// No server-side request forgery: what a webhook may never reach, and the operator's exceptions.

describe('a webhook target', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.8',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00:ec2::254',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
  ])('refuses %s', (address) => {
    expect(forbiddenAddress(address)).toMatch(/loopback, private, link-local or reserved/);
  });

  it.each(['93.184.215.14', '1.1.1.1', '172.32.0.1', '2606:4700:4700::1111'])(
    'accepts the public address %s',
    (address) => {
      expect(forbiddenAddress(address)).toBeUndefined();
    },
  );

  it.each([
    ['ftp://example.com/hook', 'must be an http or https URL'],
    ['https://user:pass@example.com/hook', 'must not carry a user name or password'],
    ['example.com/hook', 'must be an absolute http or https URL'],
    ['https://example.com/hook#frag', 'must not have a fragment'],
  ])('refuses the URL %s: %s', (url, problem) => {
    expect(targetUrlProblem(url)).toBe(problem);
  });

  it('refuses a host name that resolves to loopback, naming the address', async () => {
    await expect(resolveTarget('http://localhost:9/hook', [])).rejects.toThrow(
      /^its host localhost resolves to (127\.0\.0\.1|::1), a loopback, private, link-local or reserved address$/,
    );
  });

  it('refuses the cloud metadata address even written in decimal', async () => {
    // The URL parser reads 2852039166 as 169.254.169.254.
    await expect(resolveTarget('http://2852039166/latest/meta-data', [])).rejects.toThrow(/169\.254\.169\.254/);
  });

  it('lets the operator name a loopback receiver by host:port, and only that port', async () => {
    await expect(resolveTarget('http://127.0.0.1:4567/hook', ['127.0.0.1:4567'])).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(resolveTarget('http://127.0.0.1:4568/hook', ['127.0.0.1:4567'])).rejects.toThrow(/loopback/);
  });
});
