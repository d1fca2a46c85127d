// The filters above the back office's tables: a region picker and a choice among fixed values
// (statuses), each a labelled select whose empty value means "all".
import { useTranslation } from 'react-i18next';

/** Regions to pick from; with `allowAll`, an empty value for every region. */
export function RegionFilter({
  regions,
  value,
  onChange,
  allowAll = true,
  testId,
}: {
  regions: ReadonlyArray<{ id: number; name: string }> | undefined;
  value: string;
  onChange: (regionId: string) => void;
  allowAll?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <label className="filter">
      <span>{t('admin.filterRegion')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {allowAll && <option value="">{t('admin.allRegions')}</option>}
        {regions?.map((r) => (
          <option key={r.id} value={String(r.id)}>
            {r.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One of a fixed set of values (a status), or all of them. */
export function ChoiceFilter<V extends string>({
  values,
  value,
  onChange,
  labelOf,
  label,
}: {
  values: readonly V[];
  value: string;
  onChange: (value: string) => void;
  labelOf: (value: V) => string;
  label?: string;
}) {
  const { t } = useTranslation();
  return (
    <label className="filter">
      <span>{label ?? t('admin.fields.status')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('admin.all')}</option>
        {values.map((v) => (
          <option key={v} value={v}>
            {labelOf(v)}
          </option>
        ))}
      </select>
    </label>
  );
}
