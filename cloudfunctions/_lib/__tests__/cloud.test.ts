/**
 * How database failures are recognised: by the numeric errCode wx-server-sdk keeps, the raw
 * node-sdk code (a conflict at commit), and for codes the SDK folds into -501001 the server's
 * own error token it carries. The shapes are those the SDK produces (see emulator/README.md).
 */
import { cloudFailureOf } from '../cloud';

const wx = (errCode: number, text: string) => Object.assign(new Error(text), { errCode, errMsg: text });

describe('cloudFailureOf', () => {
  test('a taken _id, as live CloudBase answers it and as documented', () => {
    expect(cloudFailureOf(wx(-502001, 'collection.add:fail -502001 database request fail. [FailedOperation.Insert] bulk write error: E11000 duplicate key error collection: t.c index: _id_ dup key: { : "x" }'))).toBe('duplicate');
    expect(cloudFailureOf(wx(-501001, 'collection.add:fail -501001 resource system error. [FailedOperation.DuplicateWrite] DATABASE_DUPLICATE_WRITE'))).toBe('duplicate');
    expect(cloudFailureOf({ code: 'DATABASE_DUPLICATE_WRITE', message: 'index key duplicate' })).toBe('duplicate');
  });

  test('transaction conflicts: raw at commit, folded inside the transaction', () => {
    expect(cloudFailureOf({ code: 'DATABASE_TRANSACTION_CONFLICT', message: '[ResourceUnavailable.TransactionConflict] Transaction is conflict' })).toBe('conflict');
    expect(cloudFailureOf(wx(-501001, 'document.update:fail -501001 resource system error. [ResourceUnavailable.TransactionConflict] Transaction is conflict, maybe resource operated by others.'))).toBe('conflict');
    expect(cloudFailureOf(wx(-501001, 'document.set:fail -501001 resource system error. [ResourceUnavailable.TransactionBusy] Transaction is busy.'))).toBe('conflict');
  });

  test('a transaction past 30 s and a missing collection', () => {
    expect(cloudFailureOf(wx(-501001, 'document.set:fail -501001 resource system error. [ResourceUnavailable.TransactionNotExist] Transaction does not exist on the server'))).toBe('transaction-gone');
    expect(cloudFailureOf({ code: 'DATABASE_TRANSACTION_FAIL', message: 'x' })).toBe('transaction-gone');
    expect(cloudFailureOf(wx(-502005, 'collection.get:fail -502005 database collection not exists. [ResourceNotFound] Db or Table not exist: x.'))).toBe('missing-collection');
  });

  test('anything else is not classified, whatever its words', () => {
    expect(cloudFailureOf(new Error('duplicate key in my own code'))).toBeUndefined();
    expect(cloudFailureOf(wx(-501001, 'resource system error. write conflict in the storage layer'))).toBeUndefined();
    expect(cloudFailureOf(wx(-502001, 'database request fail. [FailedOperation.Timeout] Execution request timeout'))).toBeUndefined();
    expect(cloudFailureOf(wx(-1, 'document.get:fail document with _id x does not exist'))).toBeUndefined();
    expect(cloudFailureOf('E11000')).toBeUndefined();
    expect(cloudFailureOf(null)).toBeUndefined();
  });
});
