import type { ApiErrorBody, ErrorCode, ErrorReason, FieldIssue } from '@/contract';

/** A server error code, or NETWORK when no usable reply arrived. */
export type CloudErrorCode = ErrorCode | 'NETWORK';

/** What the person using the app is told, per code. */
export const userMessages: Record<CloudErrorCode, string> = {
  INVALID_INPUT: '填写的信息有误，请检查后再试',
  UNKNOWN_ACTION: '当前版本不支持这个操作，请更新后再试',
  UNAUTHENTICATED: '登录已失效，请重新登录',
  FORBIDDEN: '你没有权限查看这些内容',
  NOT_FOUND: '没有找到相关内容，可能已被删除',
  NOT_AVAILABLE: '这项服务暂时不可用，请稍后再试',
  METHOD_NOT_ALLOWED: '当前版本不支持这个操作，请更新后再试',
  CONFLICT: '内容已被他人更新，请刷新后再试',
  PAYLOAD_TOO_LARGE: '提交的内容太多，请精简后再试',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  UPSTREAM: '企业微信或厂家平台暂时没有响应，请稍后再试',
  INTERNAL: '服务器开了个小差，请稍后再试',
  CONFIG: '服务配置有误，请联系管理员',
  NETWORK: '网络连接失败，请检查网络后再试',
};

/** What the person is told when the server says why it refused, more precisely than the code. */
export const reasonMessages: Record<ErrorReason, string> = {
  NOT_CORP_MEMBER: '你不是本企业成员，无法使用销售助手',
  NOT_STAFF: '你还没有开通销售助手，请联系店长开通后再试',
  NOT_IN_CHAT: '你不在这个客户群中，无法查看群里的客户',
  CHAT_NOT_FOUND: '没有找到这个客户群，它可能已解散或不是客户群',
  LINK_INVALID: '链接无效或已过期',
  LINK_MISMATCH: '链接无效或已过期',
  NO_VIEWER: '请在微信中打开这个邀请',
  PHONE_CODE_INVALID: '手机号授权已失效，请再点一次',
};

export const isErrorReason = (value: unknown): value is ErrorReason => typeof value === 'string' && Object.prototype.hasOwnProperty.call(reasonMessages, value);

/** The one error the client raises for a failed call. */
export class CloudError extends Error {
  readonly userMessage: string;

  constructor(
    readonly code: CloudErrorCode,
    /** English detail for developers (the server's message or the transport's). */
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly reason?: ErrorReason,
  ) {
    super(message);
    this.name = 'CloudError';
    this.userMessage = reason ? reasonMessages[reason] : userMessages[code];
  }
}

/** Any thrown value as a CloudError, so stores keep one error type. */
export function toCloudError(e: unknown): CloudError {
  if (e instanceof CloudError) return e;
  return new CloudError('INTERNAL', e instanceof Error ? e.message : String(e));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isServerCode = (v: unknown): v is ErrorCode => typeof v === 'string' && v !== 'NETWORK' && Object.prototype.hasOwnProperty.call(userMessages, v);

/** The CloudError an error body stands for (an unknown code or shape is INTERNAL). */
export function errorFromBody(body: unknown): CloudError {
  if (!isRecord(body) || !isServerCode(body.code)) {
    return new CloudError('INTERNAL', `unrecognised error body: ${JSON.stringify(body)?.slice(0, 200)}`);
  }
  const { code, message, issues, reason } = body as unknown as ApiErrorBody;
  // A reason this build does not know yet falls back to the code's message.
  return new CloudError(code, typeof message === 'string' ? message : code, Array.isArray(issues) ? issues : [], isErrorReason(reason) ? reason : undefined);
}

/**
 * The data of a function's reply (an ApiReply), or throws its CloudError. Shared by the app's
 * client and the native invite page, which calls functions without it (it must not pull in Taro).
 */
export function replyData<T>(reply: unknown): T {
  if (isRecord(reply) && reply.ok === true && 'data' in reply) return reply.data as T;
  if (isRecord(reply) && reply.ok === false) throw errorFromBody(reply.error);
  throw new CloudError('INTERNAL', `not an ApiReply: ${String(JSON.stringify(reply)).slice(0, 200)}`);
}
