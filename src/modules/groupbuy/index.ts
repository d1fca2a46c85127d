export { GroupbuySettingsService, DEFAULT_GROUPBUY_SETTINGS, SETTING_RANGES } from './settings.service';
export type { GroupbuySettings } from './settings.service';
export type { GroupbuySettingsValues } from './settings.repo';
export type { CampaignStatus } from './groupbuy.schema';
export { CampaignService, CAMPAIGN_LIMITS, chinaDay, isValidDay, seesLeaderOnly } from './campaigns.service';
export type { CampaignInput, CampaignItemInput, CampaignItemView, CampaignView, CheckoutCampaign } from './campaigns.service';
export type { CampaignRow, ItemDetailRow, RelayRow, RestDay } from './campaigns.repo';
