import { View, Text, Input } from '@tarojs/components';
import './search-box.scss';

interface SearchBoxProps {
  /** What is typed (the caller debounces it). */
  text: string;
  onText: (text: string) => void;
  placeholder: string;
}

/** The one search box of the app: a rounded field with its icon and a clear button a finger can hit. */
export function SearchBox({ text, onText, placeholder }: SearchBoxProps) {
  return (
    <View className='sk-search'>
      <Text className='sk-search__icon'>⌕</Text>
      <Input
        className='sk-search__input'
        value={text}
        type='text'
        confirmType='search'
        maxlength={20}
        placeholder={placeholder}
        placeholderClass='sk-search__placeholder'
        onInput={(e) => onText(e.detail.value)}
      />
      {text ? (
        <View className='sk-search__erase' aria-label='清除' onClick={() => onText('')}>
          ✕
        </View>
      ) : null}
    </View>
  );
}
