import { useEffect, useState } from 'preact/hooks';
import { api, type Ability, type TaskType, type User } from '../api';
import { go } from '../app';
import { checkPhoto, uploadPhoto } from '../upload';
import { Card, ErrorBox, messageOf } from './common';

interface Choice {
  value: string;
  label: string;
}

interface Kind {
  type: TaskType;
  name: string;
  price: number;
  params: { name: string; label: string; choices: Choice[] }[];
}

const labels: Record<string, string> = {
  white_bg: '白底',
  studio: '影棚',
  live: '实拍',
  street: '街拍',
  indoor: '室内',
  shoes: '鞋子',
  dress: '连衣裙',
  hoodie: '卫衣',
  coat: '外套',
};
const choices = (values: string[]): Choice[] => values.map((value) => ({ value, label: labels[value] ?? value }));

/** The contract's choices (task create §8), used when the API has no abilities catalogue. */
const builtIn: Kind[] = [
  { type: 'basic_clean', name: '基础精修', price: 1, params: [{ name: 'template', label: '模板', choices: choices(['white_bg', 'studio', 'live']) }] },
  {
    type: 'model_pose12',
    name: 'AI 模特 12 姿势',
    price: 1,
    params: [
      { name: 'scene', label: '场景', choices: choices(['street', 'studio', 'indoor']) },
      { name: 'category', label: '品类', choices: choices(['shoes', 'dress', 'hoodie', 'coat']) },
    ],
  },
];

/** GET /abilities entries, their params' enums read from each inputSchema; anything unreadable keeps the built-in kind. */
function fromCatalogue(abilities: Ability[]): Kind[] {
  return builtIn.map((kind) => {
    const ability = abilities.find((entry) => entry.id === kind.type);
    if (!ability) return kind;
    const schema = ability.inputSchema as { properties?: { params?: { properties?: Record<string, { enum?: unknown[] }> } } } | undefined;
    const params = kind.params.map((param) => {
      const values = schema?.properties?.params?.properties?.[param.name]?.enum;
      return Array.isArray(values) && values.every((value) => typeof value === 'string') ? { ...param, choices: choices(values as string[]) } : param;
    });
    return { ...kind, name: ability.name || kind.name, price: typeof ability.price === 'number' ? ability.price : kind.price, params };
  });
}

/** Contract flows 3 and 4: pick a photo, upload it with STS keys, create the task, follow it. */
export function CreatePage({ user, onChange }: { user: User; onChange: () => Promise<unknown> }) {
  const [kinds, setKinds] = useState<Kind[]>(builtIn);
  const [type, setType] = useState<TaskType>('basic_clean');
  const [values, setValues] = useState<Record<string, string>>({ template: 'white_bg', scene: 'street', category: 'dress' });
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.abilities().then((answer) => answer && setKinds(fromCatalogue(answer.abilities)), () => undefined);
  }, []);
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview]);

  const kind = kinds.find((entry) => entry.type === type) ?? builtIn[0];

  const pick = (event: Event) => {
    const chosen = (event.currentTarget as HTMLInputElement).files?.[0] ?? null;
    setError(null);
    setFile(null);
    setPreview(null);
    if (!chosen) return;
    const problem = checkPhoto(chosen);
    if (problem) return setError(problem);
    setFile(chosen);
    setPreview(URL.createObjectURL(chosen));
  };

  const submit = async () => {
    if (!file || !kind) return;
    setError(null);
    try {
      setProgress('正在上传… 0%');
      const { key } = await uploadPhoto(file, (percent) => setProgress(`正在上传… ${percent}%`));
      setProgress(type === 'basic_clean' ? '正在精修…' : '正在提交 AI 模特任务…');
      const params = Object.fromEntries(kind.params.map((param) => [param.name, values[param.name] ?? param.choices[0]?.value ?? '']));
      const created = await api.createTask(type, key, params);
      await onChange();
      go(`/task/${encodeURIComponent(created.taskId)}`);
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setProgress(null);
    }
  };

  if (!user.isMember) {
    return (
      <main class="page">
        <Card title="开通会员后即可创作">
          <p class="muted">会员每月 100 次生成次数。</p>
          <a class="button primary" href="#/membership">
            去开通
          </a>
        </Card>
      </main>
    );
  }

  return (
    <main class="page">
      <Card title="1. 选择商品图">
        <label class="picker">
          <input type="file" accept="image/jpeg,image/png" onChange={pick} data-testid="photo" />
          {preview ? <img src={preview} alt="已选图片" /> : <span>点击选择 JPG/PNG 图片(不超过 10MB)</span>}
        </label>
      </Card>
      <Card title="2. 选择效果">
        <div class="segmented" role="radiogroup">
          {kinds.map((entry) => (
            <button key={entry.type} type="button" role="radio" aria-checked={entry.type === type} class={entry.type === type ? 'on' : ''} onClick={() => setType(entry.type)}>
              {entry.name}
              <small>{entry.price} 次</small>
            </button>
          ))}
        </div>
        {kind?.params.map((param) => (
          <label key={param.name}>
            {param.label}
            <select name={param.name} value={values[param.name]} onChange={(e) => setValues({ ...values, [param.name]: e.currentTarget.value })}>
              {param.choices.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </label>
        ))}
      </Card>
      <ErrorBox error={error} />
      {progress ? (
        <p class="progress" role="status">
          {progress}
        </p>
      ) : null}
      <button class="primary wide" disabled={!file || progress !== null} onClick={() => void submit()}>
        开始生成(消耗 {kind?.price ?? 1} 次)
      </button>
    </main>
  );
}
