/**
 * The first screen's calls, sent from index.html before the app's code has even downloaded.
 *
 * A link to a customer (the WeCom sidebar's `#/pages/sidebar/index?customerId=…`, the customer
 * page's `?id=…`) opened by a signed-in consultant or manager shows that customer's profile, the
 * first page of their timeline and their follow-ups, all from one call (customers.firstScreen).
 * The app asks for it as soon as its entry runs (src/features/sidebar/first-screen.ts), but on a
 * cold load the entry takes a few hundred milliseconds to download and run. This script, inlined
 * in index.html, sends the same call at once; opened bare in the sidebar inside WeCom, it asks for the JS-SDK signatures of
 * this address, the first thing the page needs before WeCom says whom the chat is with. The
 * replies wait in `window.__skEarlyCalls`; the H5 transport (src/platform/transport.h5.ts) hands
 * a call its early reply when function, body and token match exactly, and sends it itself
 * otherwise. `src/platform/early-calls.test.ts` checks that these are the calls the app makes.
 *
 * Plain ES5 in a string: it runs before any of the app's code or polyfills.
 */
export interface EarlyCallsOptions {
  /** SIDEKICK_API_BASE of the build ('' for the same origin). */
  apiBase: string;
  /** The persisted session's storage key (zustand's `persist` name in the session store). */
  sessionKey: string;
  /** Page sizes the profile store asks for. */
  timelinePage: number;
  followUpsPage: number;
}

/** What the app itself uses: the session store's key, the profile store's page sizes. */
export const APP_FIRST_SCREEN: Omit<EarlyCallsOptions, 'apiBase'> = { sessionKey: 'sidekick-session', timelinePage: 20, followUpsPage: 10 };

export function earlyCallsScript(o: EarlyCallsOptions): string {
  return `(function(){try{
var a=location.hash.replace(/^#/,'').split('?'),q=new URLSearchParams(a[1]||''),
id=a[0]==='/pages/sidebar/index'?q.get('customerId'):a[0]==='/pages/customer/index'?q.get('id'):null,
chat=a[0]==='/pages/sidebar/index'&&!id&&/wxwork/i.test(navigator.userAgent);
if(!id&&!chat)return;
var raw=localStorage.getItem(${JSON.stringify(o.sessionKey)});if(!raw)return;
var s=JSON.parse(JSON.parse(raw).data).state||{},me=s.me;
if(!s.token||!me||(me.role!=='consultant'&&me.role!=='manager')||(s.expiresAt!==undefined&&!(s.expiresAt>Date.now())))return;
var calls=id?[['customers','firstScreen',{customerId:id,timelineLimit:${o.timelinePage},followUpsLimit:${o.followUpsPage}}]]
:[['auth','jsapiConfig',{url:location.href.split('#')[0]}]];
var early=window.__skEarlyCalls={},at=Date.now();
calls.forEach(function(c){
var body=JSON.stringify({action:c[1],params:c[2]});
var reply=fetch(${JSON.stringify(o.apiBase)}+'/fn/'+c[0],{method:'POST',headers:{'Content-Type':'application/json',Authorization:'Bearer '+s.token},body:body}).then(function(r){return r.text();});
reply['catch'](function(){});
early[c[0]+' '+body]={token:s.token,at:at,reply:reply};
});}catch(e){}})();`.replace(/\n/g, '');
}
