// Word lists for the demo city. Everything is fictional; the city and districts are invented
// so that no real place is misrepresented.

/** Common surnames, most frequent first; the generator favours the front of the list. */
export const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭',
  '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾',
  '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡', '余', '杜', '叶', '程', '苏', '魏', '吕', '丁',
  '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金', '石', '廖', '贾', '夏',
  '韦', '方', '邹', '熊', '白', '孟', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯', '龙',
  '欧阳', '上官', '司马',
] as const;

/** Characters for given names; one or two are drawn. */
export const GIVEN_CHARS = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明',
  '超', '秀', '霞', '平', '刚', '桂', '英', '华', '玉', '兰', '萍', '红', '鹏', '辉', '俊', '斌',
  '建', '国', '文', '博', '宇', '浩', '欣', '怡', '婷', '雪', '琳', '晨', '睿', '子', '梓', '涵',
  '嘉', '佳', '思', '雨', '瑶', '悦', '晓', '春', '海', '波', '燕', '凤', '志', '永', '新', '云',
  '鑫', '宁', '慧', '颖', '倩', '亮', '峰', '健', '琴', '美', '淑', '荣', '德', '成', '昊', '然',
] as const;

/** How neighbours address a leader or shop owner: 王姐, 老李, 小陈 … */
export const FAMILIAR_FORMS = ['{s}姐', '{s}哥', '老{s}', '小{s}', '{s}阿姨', '{s}大姐'] as const;

export interface DistrictSpec {
  name: string;
  code: string;
  /** Bearing of the district centre from the city centre, degrees clockwise from north. */
  bearing: number;
  streets: readonly string[];
}

export const CITY = { name: '临溪市', code: 'LX', lat: 30.27, lng: 120.15 } as const;

export const DISTRICTS: readonly DistrictSpec[] = [
  {
    name: '东湖区',
    code: 'LX-DH',
    bearing: 80,
    streets: ['文晖路', '东湖路', '秋涛路', '新塘路', '凯旋路', '景芳路', '备塘路', '三新路', '钱潮路', '天城路'],
  },
  {
    name: '西岭区',
    code: 'LX-XL',
    bearing: 260,
    streets: ['文一路', '古墩路', '莫干山路', '学院路', '丰潭路', '竹竿巷', '西岭大道', '紫金港路', '益乐路', '翠柏路'],
  },
  {
    name: '南浦区',
    code: 'LX-NP',
    bearing: 170,
    streets: ['南浦大道', '江南大道', '滨文路', '长河路', '浦沿路', '闻涛路', '春波路', '星民路', '信诚路', '泰安路'],
  },
  {
    name: '北塘区',
    code: 'LX-BT',
    bearing: 350,
    streets: ['北塘路', '石桥路', '上塘路', '永华街', '康桥路', '半山路', '湖墅路', '登云路', '香积寺路', '北沙西路'],
  },
];

/** First half of a compound name: 翠苑, 金色, 滨江 … */
export const COMPOUND_STEMS = [
  '翠苑', '金色', '滨江', '绿城', '阳光', '锦绣', '东方', '西溪', '紫荆', '桂花', '枫林', '梧桐',
  '香樟', '和平', '幸福', '望江', '临溪', '湖畔', '碧水', '青山', '明珠', '华府', '盛世', '名都',
  '春晓', '星河', '蓝湾', '丹桂', '兰亭', '芳草', '嘉禾', '宝龙', '锦江', '清水', '融创', '朝晖',
  '采荷', '景华', '长庆', '新天地', '龙湖', '万家', '丽都', '御景', '银河', '水岸', '骏景', '秋水',
] as const;

/** Second half: 花园, 家园, 新村 … */
export const COMPOUND_SUFFIXES = [
  '花园', '家园', '新村', '小区', '苑', '公寓', '雅苑', '嘉园', '府', '名城', '里', '一区', '二区',
  '三区', '新苑', '佳园', '华庭', '公馆',
] as const;

/** Parts of a pickup point's name ("翠苑一区 3幢便利点"). */
export const POINT_PLACES = ['{n}幢', '{n}号楼', '东门', '南门', '西门', '北门', '物业旁', '菜鸟驿站旁', '门卫室'] as const;
export const POINT_KINDS = ['便利点', '自提点', '团购点', '生鲜驿站', '邻里站'] as const;

/** Store names; {s} is the owner's surname. */
export const STORE_NAMES = [
  '{s}记便利店', '老{s}便利店', '{s}家小卖部', '{s}记生鲜', '好邻居便利店', '惠民超市', '家家乐便利店',
  '百姓生活超市', '邻里便民店', '{s}记粮油店', '鲜丰果蔬', '一元便利', '万家福超市', '喜多多便利店',
  '{s}姐水果店', '24小时便利店', '天天鲜菜场', '乐购便民店', '金福便利店', '诚信烟酒店',
] as const;

/** Mobile prefixes in use on the mainland (China Mobile, Unicom, Telecom). */
export const PHONE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '139', '150', '151', '152', '153', '155', '156',
  '157', '158', '159', '166', '173', '175', '176', '177', '180', '181', '182', '183', '185', '186',
  '187', '188', '189', '191', '198', '199',
] as const;
