import { render } from '@/test-setup/render';
import { ErrorState } from './state-view';

test('the error state says what went wrong in Chinese and retries on tap', async () => {
  let retries = 0;
  const screen = await render(<ErrorState message='网络连接失败，请检查网络后再试' onRetry={() => (retries += 1)} />);
  expect(screen.text()).toContain('加载失败');
  expect(screen.text()).toContain('网络连接失败，请检查网络后再试');
  await screen.tap(screen.getByText('重试'));
  expect(retries).toBe(1);
});
