/**
 * How the sandbox's SCF reads a code package that was uploaded to COS (CreateFunction /
 * UpdateFunctionCode with `CosBucketName` + `CosObjectName`): the way SCF pulls it in the cloud, as a
 * signed COS GetObject — here dispatched in-process through the sandbox router to the COS module,
 * whose objects stay private to it. Signed with the sandbox's permanent key, as the account's own
 * service role would be; the COS module checks the signature like any other request.
 */
import { createHash, createHmac } from 'node:crypto';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { SANDBOX_TENCENT_SECRET_ID, SANDBOX_TENCENT_SECRET_KEY } from './keys';
import { createRequestContext, type Router } from './router';

export type CosRead = { readonly found: true; readonly body: Buffer } | { readonly found: false; readonly status: number; readonly code: string };

/** `q-sign` over the method and path only (no signed headers or parameters), valid for a minute. */
function authorization(method: string, pathname: string, nowSeconds: number): string {
  const keyTime = `${nowSeconds - 1};${nowSeconds + 60}`;
  const signKey = createHmac('sha1', SANDBOX_TENCENT_SECRET_KEY).update(keyTime).digest('hex');
  const formatString = [method, pathname, '', '', ''].join('\n');
  const stringToSign = ['sha1', keyTime, createHash('sha1').update(formatString, 'utf8').digest('hex'), ''].join('\n');
  const signature = createHmac('sha1', signKey).update(stringToSign).digest('hex');
  return `q-sign-algorithm=sha1&q-ak=${SANDBOX_TENCENT_SECRET_ID}&q-sign-time=${keyTime}&q-key-time=${keyTime}&q-header-list=&q-url-param-list=&q-signature=${signature}`;
}

/** GETs `/<bucket>/<key>` from the sandbox's COS; never throws for a missing object. */
export async function readCosObject(router: Router, bucket: string, key: string): Promise<CosRead> {
  const encodedKey = key.split('/').map(encodeURIComponent).join('/');
  const pathname = `/${bucket}/${encodedKey}`;
  const match = router.match('GET', pathname);
  if (match.kind !== 'found') return { found: false, status: 404, code: 'NoSuchBucket' };

  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = pathname;
  req.headers = { host: 'sandbox.internal', authorization: authorization('get', `/${key}`, Math.floor(Date.now() / 1000)) };
  const res = new ServerResponse(req);
  const answer = new Promise<{ status: number; body: Buffer }>((resolve) => {
    let status = 200;
    // Only what the COS module calls: writeHead then end (with or without a body).
    res.writeHead = ((code: number) => {
      status = code;
      return res;
    }) as typeof res.writeHead;
    res.end = ((chunk?: unknown) => {
      resolve({ status, body: Buffer.isBuffer(chunk) ? chunk : Buffer.from(typeof chunk === 'string' ? chunk : '') });
      return res;
    }) as typeof res.end;
  });
  try {
    await match.handler(req, res, createRequestContext(Buffer.alloc(0), new URL(`http://sandbox.internal${pathname}`)));
  } catch {
    // Not a bucket path at all (the COS route answers those with a 404 of its own).
    return { found: false, status: 404, code: 'NoSuchBucket' };
  }
  const { status, body } = await answer;
  if (status === 200) return { found: true, body };
  return { found: false, status, code: /<Code>([^<]*)<\/Code>/.exec(body.toString('utf8'))?.[1] ?? `HTTP_${status}` };
}
