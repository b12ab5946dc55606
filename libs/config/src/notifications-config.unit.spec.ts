import { ConfigError, readConfig } from './app-config';

describe('the notifications configuration', () => {
  it('logs the messages, retries for hours and gives up after 8 attempts when nothing is set', () => {
    expect(readConfig({}).notifications).toEqual({
      smtpUrl: undefined,
      from: 'Área do Cliente <nao-responda@area-do-cliente.local>',
      maxAttempts: 8,
      retryBaseMs: 60_000,
      retryMaxMs: 3_600_000,
      pollIntervalMs: 1_000,
      leaseMs: 300_000,
      maxAgeMs: 604_800_000,
    });
  });

  it('sends messages of any age with NOTIFICATION_MAX_AGE_HOURS=0', () => {
    expect(readConfig({ NOTIFICATION_MAX_AGE_HOURS: '0' }).notifications.maxAgeMs).toBeUndefined();
  });

  it('reads the SMTP relay, the sender and the retry policy', () => {
    expect(
      readConfig({
        SMTP_URL: 'smtps://avisos:segredo@smtp.example.com:465',
        SMTP_FROM: 'avisos@example.com',
        NOTIFICATION_MAX_ATTEMPTS: '3',
        NOTIFICATION_RETRY_BASE_MS: '500',
        NOTIFICATION_RETRY_MAX_MS: '4000',
      }).notifications,
    ).toMatchObject({
      smtpUrl: 'smtps://avisos:segredo@smtp.example.com:465',
      from: 'avisos@example.com',
      maxAttempts: 3,
      retryBaseMs: 500,
      retryMaxMs: 4_000,
    });
  });

  it('refuses an SMTP_URL that is not one, without repeating it (it may hold a password)', () => {
    const read = () => readConfig({ SMTP_URL: 'http://user:hunter2@mail.example.com' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/SMTP_URL/);
    expect(read).not.toThrow(/hunter2/);
  });

  it.each([
    ['NOTIFICATION_MAX_ATTEMPTS', '0'],
    ['SMTP_FROM', 'nobody'],
    ['NOTIFICATION_RETRY_MAX_MS', '10'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
