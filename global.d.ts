/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    /** The platform Taro is building for; per-platform files (`x.h5.ts`) are chosen from it. */
    TARO_ENV: 'weapp' | 'h5';
    /** Build-time switch for the local demo (adds the sign-in page). */
    SIDEKICK_DEMO?: string;
  }
}

/** Base URL of the HTTP gateway in front of the functions ('' = same origin). */
declare const SIDEKICK_API_BASE: string;
/** True in the local demo build: people sign in by picking a demo person. */
declare const SIDEKICK_DEMO: boolean;
declare const WECOM_CORP_ID: string;
declare const WECOM_AGENT_ID: string;
/** WeChat cloud environment id for the mini-program ('' = the default environment). */
declare const CLOUD_ENV_ID: string;
