import { View } from '@tarojs/components';
import './action-button.scss';

interface ActionButtonProps {
  children: string;
  onTap: () => void;
  kind?: 'primary' | 'secondary' | 'plain' | 'danger';
  disabled?: boolean;
  block?: boolean;
}

/**
 * A large tap target without any UI-library dependency, so it also works in the independent
 * invite package (which loads neither the app stylesheet nor NutUI's theme).
 */
export function ActionButton({ children, onTap, kind = 'primary', disabled = false, block = false }: ActionButtonProps) {
  const classes = ['sk-action', `sk-action--${kind}`, block ? 'sk-action--block' : '', disabled ? 'sk-action--disabled' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <View className={classes} onClick={disabled ? undefined : onTap} hoverClass='sk-action--pressed'>
      {children}
    </View>
  );
}
