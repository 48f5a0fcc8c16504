import { Text } from '@tarojs/components';
import type { Tone } from '@/lib/labels';
import '../styles/tones.scss';
import './badge.scss';

interface BadgeProps {
  tone: Tone;
  children: string;
  /** Solid background for the strongest signals (e.g. grade H). */
  solid?: boolean;
}

export function Badge({ tone, children, solid = false }: BadgeProps) {
  return <Text className={`sk-badge ${solid ? 'sk-tone-solid' : 'sk-tone'}--${tone}`}>{children}</Text>;
}
