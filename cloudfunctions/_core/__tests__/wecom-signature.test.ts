import { signUrl } from '../wecom-signature';

describe('WeCom JS-SDK signature', () => {
  // The worked example from WeCom's JS-SDK signature documentation.
  it('matches the documented example', () => {
    const s = signUrl(
      'sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg',
      'http://mp.weixin.qq.com?params=value',
      'Wm3WZYTPz0wzccnW',
      1414587457,
    );
    expect(s.signature).toBe('0f9de62fce790f9a083d5c99e95740ceb90c27ed');
  });

  it('signs the URL without its fragment', () => {
    const a = signUrl('t', 'https://s.example.com/index.html?x=1#/pages/sidebar/index', 'n', 1);
    const b = signUrl('t', 'https://s.example.com/index.html?x=1', 'n', 1);
    expect(a.signature).toBe(b.signature);
    expect(signUrl('t', 'https://s.example.com/index.html?x=2', 'n', 1).signature).not.toBe(b.signature);
  });
});
