export { GroupbuySettingsService, DEFAULT_GROUPBUY_SETTINGS, SETTING_RANGES } from './settings.service';
export type { GroupbuySettings } from './settings.service';
export type { GroupbuySettingsValues } from './settings.repo';
export type { CampaignStatus } from './groupbuy.schema';
