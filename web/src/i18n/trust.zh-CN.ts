// 信任分 strings: the trust badge on pickup points, stores and hosts (docs/insights.md).
// Merged into zh-CN.ts under `trust`; trust.en.ts has the same keys.
export const trustZh = {
  badge: '信任 {{score}}',
  title: '信任分 {{score}}/100（近 30 天）',
  part: {
    repeat: '回头客',
    after_sales: '售后',
    complaints: '投诉',
    shortage: '缺货',
    on_time: '准时',
    rating: '评分',
  },
  line: '{{part}}：{{rate}}（{{n}} 个样本），贡献 {{points}} 分',
  noData: '暂无数据',
  how: '新团长/新店铺的分数向本区域平均值收缩；自买自卖不计入，取货后退款计为售后。',
};
