import { ResponseError } from '@backstage/errors';
import { messageOf, statusOf } from './errors';

async function responseError(status: number, body: unknown) {
  return ResponseError.fromResponse(
    new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json' },
    }) as any,
  );
}

describe('messageOf and statusOf', () => {
  it('read the server’s message and status from Backstage’s error shape', async () => {
    const error = await responseError(400, {
      error: { name: 'InputError', message: 'weights.v4: not a destination' },
      response: { statusCode: 400 },
    });
    expect(messageOf(error)).toBe('weights.v4: not a destination');
    expect(statusOf(error)).toBe(400);
  });

  it.each([
    [new Error('offline'), 'offline', undefined],
    ['plain', 'plain', undefined],
    [
      { statusCode: 409, body: { error: { message: 'changed' } } },
      'changed',
      409,
    ],
  ])('%j', (error, message, status) => {
    expect(messageOf(error)).toBe(message);
    expect(statusOf(error)).toBe(status);
  });
});
