import { useTranslation } from 'react-i18next';
import { Field, blames } from '../../components/Field';
import type { FieldDef, RefKind } from './form';
import { useRefOptions } from './lookups';

interface Props {
  def: FieldDef;
  value: string;
  onChange: (v: string) => void;
  blamed: string | undefined;
  disabled?: boolean;
}

export function FieldInput({ def, value, onChange, blamed, disabled }: Props) {
  const { t } = useTranslation();
  const label = t(`admin.fields.${def.label ?? def.name}`) + (def.required ? ' *' : '');
  const k = def.kind;
  const common = { name: def.name, value, disabled, onChange: (e: { target: { value: string } }) => onChange(e.target.value) };
  let control;
  switch (k.type) {
    case 'textarea':
    case 'lines':
      control = <textarea rows={3} {...common} />;
      break;
    case 'int':
      control = <input type="number" inputMode="numeric" step="1" min={k.min} {...common} />;
      break;
    case 'float':
      control = <input type="number" inputMode="decimal" step={k.step ?? 'any'} {...common} />;
      break;
    case 'time':
      control = <input type="time" {...common} />;
      break;
    case 'yuan':
      // Text, not type=number: the browser would hand us a float-ish string and hide typos.
      control = <input type="text" inputMode="decimal" placeholder="0.00" {...common} />;
      break;
    case 'enum':
      control = (
        <select {...common}>
          {!def.required && <option value="">{t('admin.none')}</option>}
          {k.options.map((o) => (
            <option key={o} value={o}>
              {t(`${k.labelKey}.${o}`)}
            </option>
          ))}
        </select>
      );
      break;
    case 'ref':
      control = <RefSelect refKind={k.ref} required={def.required} {...common} />;
      break;
    default:
      control = <input type="text" maxLength={k.maxLength} {...common} />;
  }
  return (
    <Field label={label} invalid={blames(blamed, def.name)} wide={def.wide}>
      {control}
    </Field>
  );
}

function RefSelect({
  refKind,
  required,
  value,
  ...rest
}: {
  refKind: RefKind;
  required: boolean | undefined;
  value: string;
  name: string;
  disabled: boolean | undefined;
  onChange: (e: { target: { value: string } }) => void;
}) {
  const { t } = useTranslation();
  const { data } = useRefOptions(refKind);
  const known = data?.some((o) => String(o.id) === value);
  return (
    <select value={value} {...rest}>
      <option value="">{required ? '—' : t('admin.none')}</option>
      {value && !known && <option value={value}>#{value}</option>}
      {data?.map((o) => (
        <option key={o.id} value={String(o.id)}>
          {o.name} (#{o.id})
        </option>
      ))}
    </select>
  );
}
