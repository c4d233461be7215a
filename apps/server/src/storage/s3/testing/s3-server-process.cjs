// An S3-compatible server for tests, in its own process on a loopback port: s3rver (pure JS, the
// objects as files under a folder), plus the three multipart operations it lacks and the S3
// BlobStore uses: ListMultipartUploads, AbortMultipartUpload and UploadPartCopy. Started by
// s3-test-server.ts with a JSON argument { directory, buckets }; prints { port } once listening and
// exits when its standard input closes (so it never outlives the test process).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const S3rver = require('s3rver');

const { directory, buckets } = JSON.parse(process.argv[2]);

function xml(ctx, status, body) {
  ctx.status = status;
  ctx.type = 'application/xml';
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function esc(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The multipart operations s3rver does not implement, over its own upload folders. */
function multipartExtras(store) {
  const uploadsDir = (bucket) => store.getResourcePath(bucket, undefined, 'uploads');
  return async function extras(ctx, next) {
    const [, bucket, ...rest] = ctx.path.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const q = ctx.query;
    if (ctx.method === 'GET' && !key && 'uploads' in q) {
      const dir = uploadsDir(bucket);
      const ids = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
      const uploads = [];
      for (const id of ids) {
        const keyFile = path.join(dir, id, 'key');
        if (!fs.existsSync(keyFile)) continue;
        const k = fs.readFileSync(keyFile, 'utf8');
        if (q.prefix && !k.startsWith(q.prefix)) continue;
        uploads.push(`<Upload><Key>${esc(k)}</Key><UploadId>${id}</UploadId><Initiated>${fs.statSync(keyFile).mtime.toISOString()}</Initiated></Upload>`);
      }
      return xml(ctx, 200, `<ListMultipartUploadsResult><Bucket>${esc(bucket)}</Bucket><IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`);
    }
    if (ctx.method === 'DELETE' && key && q.uploadId) {
      const dir = path.join(uploadsDir(bucket), path.basename(String(q.uploadId)));
      if (!fs.existsSync(dir)) return xml(ctx, 404, `<Error><Code>NoSuchUpload</Code><Message>no such upload</Message></Error>`);
      fs.rmSync(dir, { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'PUT' && key && q.uploadId && q.partNumber && ctx.headers['x-amz-copy-source']) {
      const source = decodeURI(String(ctx.headers['x-amz-copy-source'])).replace(/^\//, '');
      const [srcBucket, ...srcKey] = source.split('/');
      const m = /^bytes=(\d+)-(\d+)$/.exec(String(ctx.headers['x-amz-copy-source-range'] || ''));
      const object = await store.getObject(srcBucket, srcKey.join('/'), m ? { start: Number(m[1]), end: Number(m[2]) } : undefined);
      if (!object || !object.content) return xml(ctx, 404, `<Error><Code>NoSuchKey</Code><Message>no such key</Message></Error>`);
      const { md5 } = await store.putPart(bucket, String(q.uploadId), Number(q.partNumber), object.content);
      return xml(ctx, 200, `<CopyPartResult><ETag>"${md5}"</ETag><LastModified>${new Date().toISOString()}</LastModified></CopyPartResult>`);
    }
    return next();
  };
}

async function main() {
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // s3rver does not check SigV4 signatures (sigv4.test.ts checks ours against AWS's examples).
    allowMismatchedSignatures: true,
    serviceEndpoint: 'localhost',
    configureBuckets: buckets.map((name) => ({ name })),
  });
  // Before s3rver's router (the last middleware), after its virtual-host rewrite.
  server.middleware.splice(server.middleware.length - 1, 0, multipartExtras(server.store));
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => server.close().finally(() => process.exit(0)));
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
