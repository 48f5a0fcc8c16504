/**
 * WeChat's cloud call (云调用) as the cloud answers wx-server-sdk's `cloud.openapi.*`: the SDK
 * posts `action: wx.openApi` as multipart form data whose `requestData` is a protobuf
 * `CommApiData` (the API's parameters as key / JSON-bytes pairs) and reads back a raw protobuf
 * `CommOpenApiResp` (WeChat's JSON answer as bytes, with its content type). Field numbers are
 * those of the SDK's own `src/protobuf/openapi.js`.
 *
 * One API is answered: `phonenumber.getPhoneNumber`, the exchange of the code a mini-program's
 * getPhoneNumber button gives for the phone the platform vouches for. Codes are issued by the
 * test or the demo (`PhoneCodes.issue`, as a phone tapping the button would get one), live five
 * minutes and work once, as WeChat's do; anything else answers 40029 invalid code.
 */
import { randomBytes } from 'node:crypto';
import protobuf from 'protobufjs/minimal';

const CODE_TTL_MS = 5 * 60_000;

export class PhoneCodes {
  private codes = new Map<string, { phone: string; expiresAt: number }>();
  constructor(private now: () => number) {}

  /** A code for this phone (11 digits), as the button gives the page. */
  issue(phone: string): string {
    const code = randomBytes(24).toString('hex');
    this.codes.set(code, { phone, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /** The phone behind a code, once; undefined for a used, expired or made-up code. */
  redeem(code: string): string | undefined {
    const entry = this.codes.get(code);
    this.codes.delete(code);
    return entry && entry.expiresAt > this.now() ? entry.phone : undefined;
  }
}

/** The parts of a multipart/form-data body, by name. */
export function formParts(body: Buffer, contentType: string): Map<string, Buffer> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const parts = new Map<string, Buffer>();
  if (!boundary) return parts;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length + 2; // past CRLF
    const next = body.indexOf(delimiter, start);
    if (next < 0) break;
    const part = body.subarray(start, next - 2); // before CRLF
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const name = /name="([^"]+)"/.exec(part.subarray(0, headerEnd).toString('utf8'));
      if (name) parts.set(name[1], part.subarray(headerEnd + 4));
    }
    at = next;
  }
  return parts;
}

/** The API's parameters from a `CommApiData` (field 2 `openapiData`: repeated field 1 `{1: key, 2: value}`). */
export function openApiParams(requestData: Buffer): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const r = protobuf.Reader.create(requestData);
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 !== 2) {
      r.skipType(tag & 7);
      continue;
    }
    const data = protobuf.Reader.create(r.bytes());
    while (data.pos < data.len) {
      const t = data.uint32();
      if (t >>> 3 !== 1) {
        data.skipType(t & 7);
        continue;
      }
      const pair = protobuf.Reader.create(data.bytes());
      let key = '';
      let value: Uint8Array = new Uint8Array();
      while (pair.pos < pair.len) {
        const p = pair.uint32();
        if (p >>> 3 === 1) key = pair.string();
        else if (p >>> 3 === 2) value = pair.bytes();
        else pair.skipType(p & 7);
      }
      try {
        params[key] = JSON.parse(Buffer.from(value).toString('utf8'));
      } catch {
        params[key] = Buffer.from(value).toString('utf8');
      }
    }
  }
  return params;
}

/** A `CommOpenApiResp`: WeChat's answer (1: respData, 2: contentType) or a platform error (3: errorCode). */
export function openApiResponse(answer: { json: object } | { errorCode: number }): Buffer {
  const w = protobuf.Writer.create();
  if ('json' in answer) {
    w.uint32(10).bytes(Buffer.from(JSON.stringify(answer.json)));
    w.uint32(18).string('application/json; charset=utf-8');
  } else {
    w.uint32(24).int32(answer.errorCode);
  }
  return Buffer.from(w.finish());
}

/** WeChat's platform error for an API the local cloud does not offer (its "no permission to call" code). */
const NOT_OFFERED = -604101;

/** Answers one `wx.openApi` call of the SDK. */
export function answerOpenApi(parts: Map<string, Buffer>, phones: PhoneCodes, now: number): Buffer {
  const api = parts.get('apiName')?.toString('utf8');
  const requestData = parts.get('requestData');
  if (api !== 'phonenumber.getPhoneNumber' || !requestData) return openApiResponse({ errorCode: NOT_OFFERED });
  const { code } = openApiParams(requestData);
  const phone = typeof code === 'string' ? phones.redeem(code) : undefined;
  if (!phone) return openApiResponse({ json: { errcode: 40029, errmsg: 'invalid code' } });
  return openApiResponse({
    json: {
      errcode: 0,
      errmsg: 'ok',
      phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: '86', watermark: { timestamp: Math.floor(now / 1000), appid: 'wx-local-emulator' } },
    },
  });
}
