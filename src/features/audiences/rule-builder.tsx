/**
 * The audience rule builder: a group (满足全部 / 满足任一, optionally 排除) of conditions and
 * nested groups, each condition edited in place with chips and number fields. Pure: it gets a
 * node and reports the next one; the page's store keeps the rule.
 */
import { useState } from 'react';
import { View, Text, Input, Picker } from '@tarojs/components';
import {
  BODY_TYPE_LABELS,
  CHANNELS,
  GRADE_LABELS,
  MODEL_LINE_LABELS,
  MODELS,
  MODEL_LINES,
  STAGE_LABELS,
  TAGS,
  TOUCHPOINT_LABELS,
  TOUCHPOINT_TYPES,
  PROPERTY_RULES,
  FORM_LABELS,
  EVENT_PROPERTY_LABELS,
  EVENT_PROPERTY_VALUE_LABELS,
  type PropertyRule,
  type PropertyFilter,
  type Scalar,
  type AudienceLeaf,
  type AudienceNode,
  type CountTest,
  type ModelSelector,
  type TimeWindow,
  type TouchpointType,
} from '@/contract';

type Leaf<K extends AudienceLeaf['kind']> = Extract<AudienceLeaf, { kind: K }>;

const LEAF_KINDS: { kind: AudienceLeaf['kind']; label: string }[] = [
  { kind: 'behaviour', label: '行为' },
  { kind: 'stage', label: '生命周期' },
  { kind: 'grade', label: '意向等级' },
  { kind: 'tags', label: '标签' },
  { kind: 'vehicle', label: '车型' },
  { kind: 'score', label: '评分' },
  { kind: 'consent', label: '授权' },
];

function newLeaf(kind: AudienceLeaf['kind']): AudienceLeaf {
  switch (kind) {
    case 'stage':
      return { kind, in: ['lead'] };
    case 'grade':
      return { kind, in: ['H'] };
    case 'tags':
      return { kind, match: 'any', ids: ['intent-level-high'] };
    case 'vehicle':
      return { kind, relation: 'interest', model: { by: 'line', in: ['SUV'] } };
    case 'score':
      return { kind, min: 60 };
    case 'consent':
      return { kind, purpose: 'marketing', granted: true };
    case 'store':
    case 'owner':
      return { kind: 'stage', in: ['lead'] };
    case 'behaviour':
      return { kind, event: { types: ['share'] }, count: { op: 'gte', value: 1 }, window: { kind: 'last', days: 30 } };
  }
}

const toggle = <T,>(list: readonly T[], v: T): T[] => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

function Chips<T extends string>({ options, value, onChange, single }: { options: readonly { id: T; label: string }[]; value: readonly T[]; onChange: (next: T[]) => void; single?: boolean }) {
  return (
    <View className='sk-aud-chips'>
      {options.map((o) => {
        const on = value.includes(o.id);
        return (
          <Text
            key={o.id}
            className={`sk-aud-chip${on ? ' sk-aud-chip--on' : ''}`}
            onClick={() => {
              if (single) onChange([o.id]);
              else {
                const next = toggle(value, o.id);
                if (next.length) onChange(next);
              }
            }}
          >
            {o.label}
          </Text>
        );
      })}
    </View>
  );
}

function NumberField({ value, onChange, label, min = 0, max = 100_000 }: { value: number | undefined; onChange: (v: number | undefined) => void; label?: string; min?: number; max?: number }) {
  return (
    <View className='sk-aud-num'>
      {label ? <Text className='sk-aud-num__label'>{label}</Text> : null}
      <Input
        className='sk-aud-num__input'
        type='number'
        value={value === undefined ? '' : String(value)}
        onInput={(e) => {
          const raw = e.detail.value.trim();
          if (raw === '') return onChange(undefined);
          const n = Math.round(Number(raw));
          if (Number.isFinite(n)) onChange(Math.min(max, Math.max(min, n)));
        }}
      />
    </View>
  );
}

const STAGES = (['lead', 'prospect', 'owner'] as const).map((id) => ({ id, label: STAGE_LABELS[id] }));
const GRADES = [...(['H', 'A', 'B', 'C'] as const).map((id) => ({ id, label: GRADE_LABELS[id] })), { id: 'none' as const, label: '未定级' }];
const TAG_NAMES = new Map(TAGS.map((t) => [t.id, t.name]));
/** Level-2 and leaf tags, the ones a manager picks (level 1 is too broad to mean anything). */
const TAG_CHOICES = TAGS.filter((t) => t.level >= 2);
const TYPES = TOUCHPOINT_TYPES.map((id) => ({ id, label: TOUCHPOINT_LABELS[id] }));
const SOURCES = CHANNELS.map((c) => ({ id: c.id, label: c.name }));
const LINES = MODEL_LINES.map((id) => ({ id, label: MODEL_LINE_LABELS[id] }));
const BODIES = (['suv', 'sedan', 'mpv', 'hatchback'] as const).map((id) => ({ id, label: BODY_TYPE_LABELS[id] }));
const MODEL_CHOICES = MODELS.map((m) => ({ id: m.id, label: m.name }));

function ModelEditor({ value, onChange, optional }: { value: ModelSelector | undefined; onChange: (v: ModelSelector | undefined) => void; optional?: boolean }) {
  const by = value?.by ?? 'none';
  const bys = [...(optional ? [{ id: 'none' as const, label: '不限车型' }] : []), { id: 'line' as const, label: '按车系' }, { id: 'body' as const, label: '按车身' }, { id: 'id' as const, label: '按车型' }];
  return (
    <View className='sk-aud-field'>
      <Chips
        single
        options={bys}
        value={[by]}
        onChange={([b]) => {
          if (b === 'none') onChange(undefined);
          else if (b === 'line') onChange({ by: 'line', in: ['SUV'] });
          else if (b === 'body') onChange({ by: 'body', in: ['suv'] });
          else onChange({ by: 'id', in: [MODELS[0].id] });
        }}
      />
      {value?.by === 'line' ? <Chips options={LINES} value={value.in} onChange={(v) => onChange({ by: 'line', in: v })} /> : null}
      {value?.by === 'body' ? <Chips options={BODIES} value={value.in} onChange={(v) => onChange({ by: 'body', in: v })} /> : null}
      {value?.by === 'id' ? <Chips options={MODEL_CHOICES} value={value.in} onChange={(v) => onChange({ by: 'id', in: v })} /> : null}
      {value?.by === 'line' && value.in.includes('SUV') ? <Text className='sk-aud-hint'>车系SUV：揽岳、途遥、凌峰；按车身选SUV还包括新能源SUV</Text> : null}
    </View>
  );
}

const COUNT_OPS = [
  { id: 'gte' as const, label: '至少' },
  { id: 'lte' as const, label: '至多' },
  { id: 'eq' as const, label: '恰好' },
  { id: 'between' as const, label: '介于' },
];

function CountEditor({ value, onChange }: { value: CountTest; onChange: (v: CountTest) => void }) {
  return (
    <View className='sk-aud-row'>
      <Chips
        single
        options={COUNT_OPS}
        value={[value.op]}
        onChange={([op]) => onChange(op === 'between' ? { op, min: value.op === 'between' ? value.min : value.value, max: value.op === 'between' ? value.max : value.value + 2 } : { op, value: value.op === 'between' ? value.min : value.value })}
      />
      {value.op === 'between' ? (
        <View className='sk-aud-row'>
          <NumberField value={value.min} onChange={(v) => onChange({ ...value, min: v ?? 0 })} />
          <Text className='sk-aud-sep'>到</Text>
          <NumberField value={value.max} onChange={(v) => onChange({ ...value, max: Math.max(v ?? 0, value.min) })} />
          <Text className='sk-aud-sep'>次</Text>
        </View>
      ) : (
        <View className='sk-aud-row'>
          <NumberField value={value.value} onChange={(v) => onChange({ ...value, value: v ?? 0 })} />
          <Text className='sk-aud-sep'>次</Text>
        </View>
      )}
    </View>
  );
}

const WINDOW_KINDS = [
  { id: 'last' as const, label: '近N天' },
  { id: 'month' as const, label: '本月' },
  { id: 'quarter' as const, label: '本季度' },
  { id: 'between' as const, label: '日期之间' },
  { id: 'ever' as const, label: '不限时间' },
];

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

function WindowEditor({ value, onChange }: { value: TimeWindow; onChange: (v: TimeWindow) => void }) {
  const id = value.kind === 'this' ? value.period : value.kind;
  return (
    <View className='sk-aud-field'>
      <Chips
        single
        options={WINDOW_KINDS}
        value={[id]}
        onChange={([k]) => {
          if (k === 'last') onChange({ kind: 'last', days: 30 });
          else if (k === 'month' || k === 'quarter') onChange({ kind: 'this', period: k });
          else if (k === 'between') onChange({ kind: 'between', from: today(), to: today() });
          else onChange({ kind: 'ever' });
        }}
      />
      {value.kind === 'last' ? (
        <View className='sk-aud-row'>
          <Text className='sk-aud-sep'>近</Text>
          <NumberField value={value.days} min={1} max={366} onChange={(v) => onChange({ kind: 'last', days: v ?? 1 })} />
          <Text className='sk-aud-sep'>天</Text>
        </View>
      ) : null}
      {value.kind === 'between' ? (
        <View className='sk-aud-row'>
          <Picker mode='date' value={value.from} onChange={(e) => onChange({ ...value, from: String(e.detail.value) })}>
            <Text className='sk-aud-chip'>{value.from}</Text>
          </Picker>
          <Text className='sk-aud-sep'>至</Text>
          <Picker mode='date' value={value.to} onChange={(e) => onChange({ ...value, to: String(e.detail.value) })}>
            <Text className='sk-aud-chip'>{value.to}</Text>
          </Picker>
        </View>
      ) : null}
    </View>
  );
}

function TagsEditor({ node, onChange }: { node: Leaf<'tags'>; onChange: (n: AudienceNode) => void }) {
  const choices = TAG_CHOICES.filter((t) => !node.ids.includes(t.id));
  return (
    <View className='sk-aud-field'>
      <Chips
        single
        options={[
          { id: 'any' as const, label: '含任一' },
          { id: 'all' as const, label: '含全部' },
          { id: 'none' as const, label: '都不含' },
        ]}
        value={[node.match]}
        onChange={([match]) => onChange({ ...node, match })}
      />
      <View className='sk-aud-chips'>
        {node.ids.map((id) => (
          <Text key={id} className='sk-aud-chip sk-aud-chip--on' onClick={() => node.ids.length > 1 && onChange({ ...node, ids: node.ids.filter((x) => x !== id) })}>
            {TAG_NAMES.get(id) ?? id}
            {node.ids.length > 1 ? ' ×' : ''}
          </Text>
        ))}
        <Picker mode='selector' range={choices.map((t) => t.name)} onChange={(e) => onChange({ ...node, ids: [...node.ids, choices[Number(e.detail.value)].id] })}>
          <Text className='sk-aud-chip sk-aud-chip--add'>+ 标签</Text>
        </Picker>
      </View>
    </View>
  );
}

type PropertyKey = keyof typeof EVENT_PROPERTY_LABELS;
const PROPERTY_KEYS = Object.keys(EVENT_PROPERTY_LABELS) as PropertyKey[];
const isPropertyKey = (k: string): k is PropertyKey => k in EVENT_PROPERTY_LABELS;

/** The properties the event types carry (every type's when none is picked), that a manager can filter on. */
function propertiesOf(types: readonly TouchpointType[] | undefined): { key: PropertyKey; rule: PropertyRule }[] {
  const out = new Map<PropertyKey, PropertyRule>();
  for (const t of types?.length ? types : TOUCHPOINT_TYPES) {
    for (const [key, rule] of Object.entries(PROPERTY_RULES[t])) if (isPropertyKey(key) && !out.has(key)) out.set(key, rule);
  }
  return PROPERTY_KEYS.filter((k) => out.has(k)).map((key) => ({ key, rule: out.get(key) as PropertyRule }));
}

/** The listed values of a property (form kinds, share targets, directions), labelled. */
function valueChoices(key: PropertyKey, rule: PropertyRule): { id: string; label: string }[] | undefined {
  if (key === 'form') return (Object.keys(FORM_LABELS) as (keyof typeof FORM_LABELS)[]).map((id) => ({ id, label: FORM_LABELS[id] }));
  if (Array.isArray(rule.kind)) return (rule.kind as readonly (keyof typeof EVENT_PROPERTY_VALUE_LABELS)[]).map((id) => ({ id, label: EVENT_PROPERTY_VALUE_LABELS[id] ?? id }));
  return undefined;
}

const isNumeric = (rule: PropertyRule) => rule.kind === 'number' || rule.kind === 'nonNegative' || rule.kind === 'count';

function valueText(key: string, v: Scalar): string {
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v === null) return '空';
  if (key === 'form' && v in FORM_LABELS) return FORM_LABELS[v as keyof typeof FORM_LABELS];
  if (typeof v === 'string' && v in EVENT_PROPERTY_VALUE_LABELS) return EVENT_PROPERTY_VALUE_LABELS[v as keyof typeof EVENT_PROPERTY_VALUE_LABELS];
  return String(v);
}

function filterText(f: PropertyFilter): string {
  const name = isPropertyKey(f.key) ? EVENT_PROPERTY_LABELS[f.key] : f.key;
  switch (f.op) {
    case 'eq':
      return `${name}为${valueText(f.key, f.value)}`;
    case 'in':
      return `${name}为${f.values.map((v) => valueText(f.key, v)).join('或')}`;
    case 'notIn':
      return `${name}不为${f.values.map((v) => valueText(f.key, v)).join('或')}`;
    case 'gte':
      return `${name}≥${f.value}`;
    case 'lte':
      return `${name}≤${f.value}`;
    case 'between':
      return `${name}${f.min}~${f.max}`;
  }
}

const NUMBER_OPS = [
  { id: 'gte', label: '至少' },
  { id: 'lte', label: '至多' },
  { id: 'eq', label: '等于' },
] as const;

/**
 * The property filters of a behaviour condition: each shown in words (tap to remove), and an
 * adder that offers the properties the condition's event types carry, then a value: a chip for
 * a listed value or yes/no, a number with at least / at most / equal, or a text.
 */
function PropertyFilters({ types, value, onChange }: { types: readonly TouchpointType[] | undefined; value: readonly PropertyFilter[]; onChange: (next: PropertyFilter[]) => void }) {
  const [adding, setAdding] = useState(false);
  const [key, setKey] = useState<PropertyKey | undefined>();
  const [op, setOp] = useState<'gte' | 'lte' | 'eq'>('gte');
  const [num, setNum] = useState<number | undefined>();
  const [text, setText] = useState('');
  const choices = propertiesOf(types);
  const rule = key ? choices.find((c) => c.key === key)?.rule : undefined;
  const close = () => {
    setAdding(false);
    setKey(undefined);
    setNum(undefined);
    setText('');
  };
  const add = (f: PropertyFilter) => {
    onChange([...value, f]);
    close();
  };
  const listed = key && rule ? valueChoices(key, rule) : undefined;
  return (
    <View className='sk-aud-props'>
      {value.length ? (
        <View className='sk-aud-chips'>
          {value.map((w, i) => (
            <Text key={`${w.key}-${i}`} className='sk-aud-chip sk-aud-chip--on sk-aud-prop' onClick={() => onChange(value.filter((_, j) => j !== i))}>
              {`${filterText(w)} ×`}
            </Text>
          ))}
        </View>
      ) : null}
      {!adding ? (
        choices.length ? (
          <Text className='sk-aud-link sk-aud-prop-add' onClick={() => setAdding(true)}>
            ＋ 添加属性条件
          </Text>
        ) : (
          <Text className='sk-aud-hint'>所选行为没有可筛选的属性</Text>
        )
      ) : (
        <View className='sk-aud-prop-new'>
          <Text className='sk-aud-label'>选择属性</Text>
          <Chips options={choices.map((c) => ({ id: c.key, label: EVENT_PROPERTY_LABELS[c.key] }))} value={key ? [key] : []} single onChange={([k]) => setKey(k)} />
          {key && rule ? (
            <>
              <Text className='sk-aud-label'>取值</Text>
              {listed ? (
                <View className='sk-aud-chips'>
                  {listed.map((o) => (
                    <Text key={o.id} className='sk-aud-chip sk-aud-prop-value' onClick={() => add({ key, op: 'eq', value: o.id })}>
                      {o.label}
                    </Text>
                  ))}
                </View>
              ) : rule.kind === 'boolean' ? (
                <View className='sk-aud-chips'>
                  {[true, false].map((b) => (
                    <Text key={String(b)} className='sk-aud-chip sk-aud-prop-value' onClick={() => add({ key, op: 'eq', value: b })}>
                      {b ? '是' : '否'}
                    </Text>
                  ))}
                </View>
              ) : isNumeric(rule) ? (
                <View className='sk-aud-row'>
                  <Chips options={NUMBER_OPS} value={[op]} single onChange={([o]) => setOp(o)} />
                  <NumberField value={num} onChange={setNum} max={100_000_000} />
                  <Text className={`sk-aud-chip sk-aud-chip--add sk-aud-prop-ok${num === undefined ? ' sk-aud-chip--off' : ''}`} onClick={() => num !== undefined && add({ key, op, value: num })}>
                    添加
                  </Text>
                </View>
              ) : (
                <View className='sk-aud-row'>
                  <Input className='sk-aud-text sk-aud-prop-text' value={text} placeholder='输入要匹配的内容' onInput={(ev) => setText(ev.detail.value)} />
                  <Text className={`sk-aud-chip sk-aud-chip--add sk-aud-prop-ok${text.trim() ? '' : ' sk-aud-chip--off'}`} onClick={() => text.trim() && add({ key, op: 'eq', value: text.trim() })}>
                    添加
                  </Text>
                </View>
              )}
            </>
          ) : null}
          <Text className='sk-aud-link' onClick={close}>
            取消
          </Text>
        </View>
      )}
    </View>
  );
}

function BehaviourEditor({ node, onChange }: { node: Leaf<'behaviour'>; onChange: (n: AudienceNode) => void }) {
  const [more, setMore] = useState(Boolean(node.event.sources?.length || node.event.model || node.event.where?.length));
  const e = node.event;
  return (
    <View className='sk-aud-field'>
      <Text className='sk-aud-label'>行为类型（不选为任意行为）</Text>
      <View className='sk-aud-chips'>
        {TYPES.map((t) => {
          const on = e.types?.includes(t.id) ?? false;
          return (
            <Text
              key={t.id}
              className={`sk-aud-chip${on ? ' sk-aud-chip--on' : ''}`}
              onClick={() => {
                const next = toggle<TouchpointType>(e.types ?? [], t.id);
                const { types: _t, ...rest } = e;
                onChange({ ...node, event: next.length ? { ...rest, types: next } : rest });
              }}
            >
              {t.label}
            </Text>
          );
        })}
      </View>
      <Text className='sk-aud-label'>次数</Text>
      <CountEditor value={node.count} onChange={(count) => onChange({ ...node, count })} />
      <Text className='sk-aud-label'>时间</Text>
      <WindowEditor value={node.window} onChange={(window) => onChange({ ...node, window })} />
      {more ? (
        <>
          <Text className='sk-aud-label'>渠道（不选为任意渠道）</Text>
          <View className='sk-aud-chips'>
            {SOURCES.map((s) => {
              const on = e.sources?.includes(s.id) ?? false;
              return (
                <Text
                  key={s.id}
                  className={`sk-aud-chip${on ? ' sk-aud-chip--on' : ''}`}
                  onClick={() => {
                    const next = toggle(e.sources ?? [], s.id);
                    const { sources: _s, ...rest } = e;
                    onChange({ ...node, event: next.length ? { ...rest, sources: next } : rest });
                  }}
                >
                  {s.label}
                </Text>
              );
            })}
          </View>
          <Text className='sk-aud-label'>内容车型</Text>
          <ModelEditor
            optional
            value={e.model}
            onChange={(model) => {
              const { model: _m, ...rest } = e;
              onChange({ ...node, event: model ? { ...rest, model } : rest });
            }}
          />
          <Text className='sk-aud-label'>属性条件</Text>
          <PropertyFilters
            types={e.types}
            value={e.where ?? []}
            onChange={(where) => {
              const { where: _w, ...rest } = e;
              onChange({ ...node, event: where.length ? { ...rest, where } : rest });
            }}
          />
        </>
      ) : (
        <Text className='sk-aud-link' onClick={() => setMore(true)}>
          更多：渠道、内容车型、属性
        </Text>
      )}
    </View>
  );
}

function LeafEditor({ node, onChange }: { node: AudienceLeaf; onChange: (n: AudienceNode) => void }) {
  switch (node.kind) {
    case 'stage':
      return <Chips options={STAGES} value={node.in} onChange={(v) => onChange({ ...node, in: v })} />;
    case 'grade':
      return <Chips options={GRADES} value={node.in} onChange={(v) => onChange({ ...node, in: v })} />;
    case 'tags':
      return <TagsEditor node={node} onChange={onChange} />;
    case 'vehicle':
      return (
        <View className='sk-aud-field'>
          <Chips
            single
            options={[
              { id: 'interest' as const, label: '意向车型' },
              { id: 'owned' as const, label: '已购车型' },
            ]}
            value={[node.relation]}
            onChange={([relation]) => onChange({ ...node, relation })}
          />
          <ModelEditor value={node.model} onChange={(model) => model && onChange({ ...node, model })} />
        </View>
      );
    case 'score':
      return (
        <View className='sk-aud-row'>
          <NumberField label='最低' value={node.min} onChange={(min) => onChange(min === undefined && node.max === undefined ? node : { kind: 'score', ...(min !== undefined ? { min } : {}), ...(node.max !== undefined ? { max: Math.max(node.max, min ?? 0) } : {}) })} max={100} />
          <NumberField label='最高' value={node.max} onChange={(max) => onChange(max === undefined && node.min === undefined ? node : { kind: 'score', ...(node.min !== undefined ? { min: node.min } : {}), ...(max !== undefined ? { max: Math.max(max, node.min ?? 0) } : {}) })} max={100} />
        </View>
      );
    case 'consent':
      return (
        <View className='sk-aud-field'>
          <Chips
            single
            options={[
              { id: 'marketing' as const, label: '营销触达' },
              { id: 'group_sharing' as const, label: '集团内共享' },
            ]}
            value={[node.purpose]}
            onChange={([purpose]) => onChange({ ...node, purpose })}
          />
          <Chips
            single
            options={[
              { id: 'yes' as const, label: '已同意' },
              { id: 'no' as const, label: '未同意' },
            ]}
            value={[node.granted ? 'yes' : 'no']}
            onChange={([g]) => onChange({ ...node, granted: g === 'yes' })}
          />
        </View>
      );
    case 'behaviour':
      return <BehaviourEditor node={node} onChange={onChange} />;
    case 'store':
      return <Text className='sk-aud-hint'>本店客户</Text>;
    case 'owner':
      return <Text className='sk-aud-hint'>{`指定顾问的客户（${node.in.length} 位）`}</Text>;
  }
}

const KIND_LABELS: Record<AudienceLeaf['kind'], string> = { ...Object.fromEntries(LEAF_KINDS.map((k) => [k.kind, k.label])), store: '门店', owner: '顾问' } as Record<AudienceLeaf['kind'], string>;

function NodeEditor({ node, onChange, onRemove, depth }: { node: AudienceNode; onChange: (n: AudienceNode) => void; onRemove?: () => void; depth: number }) {
  if (node.kind === 'and' || node.kind === 'or' || node.kind === 'not') return <GroupEditor node={node} onChange={onChange} onRemove={onRemove} depth={depth} />;
  return (
    <View className='sk-aud-cond' data-kind={node.kind}>
      <View className='sk-aud-cond__head'>
        <Text className='sk-aud-cond__kind'>{KIND_LABELS[node.kind]}</Text>
        {onRemove ? (
          <Text className='sk-aud-x' aria-label='删除条件' onClick={onRemove}>
            删除
          </Text>
        ) : null}
      </View>
      <LeafEditor node={node} onChange={onChange} />
    </View>
  );
}

/** A group: and / or over its parts, or `not` of an and / or group (shown as 排除). */
export function GroupEditor({ node, onChange, onRemove, depth = 0 }: { node: AudienceNode; onChange: (n: AudienceNode) => void; onRemove?: () => void; depth?: number }) {
  const negated = node.kind === 'not';
  const inner: AudienceNode = negated ? node.of : node;
  const group = inner.kind === 'and' || inner.kind === 'or' ? inner : { kind: 'and' as const, of: [inner] };
  const wrap = (g: AudienceNode): AudienceNode => (negated ? { kind: 'not', of: g } : g);
  const setParts = (of: AudienceNode[]) => onChange(wrap({ ...group, of }));
  return (
    <View className={`sk-aud-group${depth ? ' sk-aud-group--nested' : ''}${negated ? ' sk-aud-group--not' : ''}`}>
      <View className='sk-aud-group__head'>
        <Chips
          single
          options={[
            { id: 'and' as const, label: '满足全部' },
            { id: 'or' as const, label: '满足任一' },
          ]}
          value={[group.kind]}
          onChange={([kind]) => onChange(wrap({ kind, of: group.of }))}
        />
        {depth ? (
          <Text className={`sk-aud-chip${negated ? ' sk-aud-chip--on' : ''}`} onClick={() => onChange(negated ? group : { kind: 'not', of: group })}>
            排除
          </Text>
        ) : null}
        {onRemove ? (
          <Text className='sk-aud-x' aria-label='删除条件组' onClick={onRemove}>
            删除组
          </Text>
        ) : null}
      </View>
      {group.of.map((part, i) => (
        <NodeEditor
          key={i}
          node={part}
          depth={depth + 1}
          onChange={(n) => setParts(group.of.map((p, j) => (j === i ? n : p)))}
          onRemove={group.of.length > 1 || depth ? () => setParts(group.of.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <View className='sk-aud-add'>
        <Picker mode='selector' range={LEAF_KINDS.map((k) => k.label)} onChange={(e) => setParts([...group.of, newLeaf(LEAF_KINDS[Number(e.detail.value)].kind)])}>
          <Text className='sk-aud-chip sk-aud-chip--add'>+ 条件</Text>
        </Picker>
        {depth < 4 ? (
          <Text className='sk-aud-chip sk-aud-chip--add' onClick={() => setParts([...group.of, { kind: 'or', of: [newLeaf('stage')] }])}>
            + 条件组
          </Text>
        ) : null}
      </View>
    </View>
  );
}
