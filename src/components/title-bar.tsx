import { Text, View } from '@tarojs/components';
import './title-bar.scss';

/** The title bar a browser does not draw (H5 only): the page's title and a way back. */
export function TitleBar({ title, onBack }: { title: string; onBack: () => void }) {
  return (
    <View className='sk-titlebar'>
      <View className='sk-titlebar__back' aria-label='返回' hoverClass='sk-titlebar__back--pressed' onClick={onBack}>
        <Text className='sk-titlebar__chevron'>‹</Text>
      </View>
      <Text className='sk-titlebar__title'>{title}</Text>
      <View className='sk-titlebar__end' />
    </View>
  );
}
