import type { trustZh } from './trust.zh-CN';

export const trustEn: typeof trustZh = {
  badge: 'Trust {{score}}',
  title: 'Trust score {{score}}/100 (last 30 days)',
  part: {
    repeat: 'Repeat buyers',
    after_sales: 'After-sales',
    complaints: 'Complaints',
    shortage: 'Shortages',
    on_time: 'On time',
    rating: 'Rating',
  },
  line: '{{part}}: {{rate}} ({{n}} counted), {{points}} points',
  noData: 'no data yet',
  how: 'New leaders and stores are pulled towards the region’s typical score; orders placed for oneself count for nothing and refunds after pickup count as after-sales.',
};
