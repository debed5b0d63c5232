import { Brain, Pencil, Trash2 } from "lucide-react";
import { useState, type FormEvent } from "react";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { FormProblem, errorsFor } from "../../components/ui/FormProblem";
import { Input, controlClasses } from "../../components/ui/Input";
import { Card, EmptyState, Loading, PageHeader } from "../../components/ui/States";
import { useToast } from "../../components/ui/Toast";
import { cn } from "../../lib/cn";
import { formatDate } from "../../lib/format";
import { useTitle } from "../../lib/useTitle";
import type { CloneStyle, MemoryItem, MemoryKind } from "./api";
import { useAddMemory, useCloneSettings, useDeleteMemory, useMemories, usePutCloneSettings, useTalkedToClones, useUpdateMemory } from "./queries";

const kindLabels: Record<MemoryKind, string> = { goal: "Goal", preference: "Preference", fact: "Fact" };
const selectClasses = cn(controlClasses, "h-10 pr-8");

/** The groups the page shows: the shared items first, then one per clone (talked to, or holding items), by name. */
export function groupMemories(items: MemoryItem[], clones: Map<string, string>) {
  const shared = items.filter((i) => !i.cloneId);
  const ids = new Set<string>([...clones.keys(), ...items.flatMap((i) => (i.cloneId ? [i.cloneId] : []))]);
  const perClone = [...ids]
    .map((cloneId) => ({ cloneId, name: clones.get(cloneId) ?? "A clone", items: items.filter((i) => i.cloneId === cloneId) }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { shared, perClone };
}

export function MemoryPage() {
  useTitle("Memory");
  const memories = useMemories();
  const clones = useTalkedToClones();

  if (memories.isPending || clones.isPending) return <Loading />;
  if (memories.isError) return <FormProblem error={memories.error} />;
  const { shared, perClone } = groupMemories(memories.data.items, clones.data ?? new Map());

  return (
    <div className="mx-auto max-w-3xl">
      <PageHeader
        title="Memory"
        description="What your clones remember about you: goals, preferences and facts from your conversations. Only you can see it; edit or delete anything."
      />
      <AddMemoryForm clones={perClone} />
      <section aria-labelledby="memory-shared" className="mt-8" data-testid="memory-group" data-clone-id="shared">
        <h2 id="memory-shared" className="text-lg font-semibold text-slate-900">
          Shared by all your clones
        </h2>
        <p className="mt-1 text-sm text-slate-600">Your name, your role and how you like to be answered.</p>
        <MemoryList items={shared} empty="Nothing shared yet." />
      </section>
      {perClone.map((group) => (
        <section
          key={group.cloneId}
          aria-labelledby={`memory-${group.cloneId}`}
          className="mt-8"
          data-testid="memory-group"
          data-clone-id={group.cloneId}
        >
          <h2 id={`memory-${group.cloneId}`} className="text-lg font-semibold break-words text-slate-900">
            {group.name}
          </h2>
          <CloneSettingsRow cloneId={group.cloneId} name={group.name} />
          <MemoryList items={group.items} empty={`${group.name} remembers nothing about you yet.`} />
        </section>
      ))}
      {perClone.length === 0 && shared.length === 0 ? (
        <EmptyState className="mt-8" icon={<Brain className="size-6" />} title="Nothing remembered yet">
          Tell a clone about your goals ("My goal is to…") or how you like answers ("I prefer short answers"), and it will remember.
        </EmptyState>
      ) : null}
    </div>
  );
}

function MemoryList({ items, empty }: { items: MemoryItem[]; empty: string }) {
  if (items.length === 0) return <p className="mt-3 text-sm text-slate-500">{empty}</p>;
  return (
    <ul className="mt-3 space-y-2">
      {items.map((item) => (
        <MemoryRow key={item.id} item={item} />
      ))}
    </ul>
  );
}

function MemoryRow({ item }: { item: MemoryItem }) {
  const toast = useToast();
  const update = useUpdateMemory();
  const remove = useDeleteMemory();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(item.text);
  const [error, setError] = useState<unknown>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await update.mutateAsync({ id: item.id, text: text.trim() });
      setEditing(false);
      toast({ title: "Memory updated" });
    } catch (e) {
      setError(e);
    }
  };

  const forget = async () => {
    setError(null);
    try {
      await remove.mutateAsync(item.id);
      toast({ title: "Forgotten" });
    } catch (e) {
      setError(e);
    }
  };

  return (
    <li data-testid="memory-item" data-kind={item.kind}>
      <Card className="p-3 sm:p-4">
        {editing ? (
          <form onSubmit={(e) => void save(e)} className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <Input
              aria-label={`Edit ${kindLabels[item.kind].toLowerCase()}`}
              value={text}
              maxLength={500}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={errorsFor(error, "text").length ? true : undefined}
              className="min-w-0 flex-1"
            />
            <div className="flex gap-2">
              <Button type="submit" size="sm" loading={update.isPending} disabled={text.trim().length === 0}>
                Save
              </Button>
              <Button
                variant="ghost"
                size="sm"
                onClick={() => {
                  setEditing(false);
                  setText(item.text);
                  setError(null);
                }}
              >
                Cancel
              </Button>
            </div>
          </form>
        ) : (
          <div className="flex flex-wrap items-start gap-x-3 gap-y-2">
            <Badge>{kindLabels[item.kind]}</Badge>
            <div className="min-w-0 flex-1 basis-48">
              <p data-testid="memory-text" className="text-sm break-words text-slate-900">
                {item.text}
              </p>
              <p className="mt-0.5 text-xs text-slate-500">
                {item.source ? "From a conversation" : "Added by you"} · {formatDate(item.updatedAt)}
              </p>
            </div>
            <div className="flex gap-1">
              <Button variant="ghost" size="sm" onClick={() => setEditing(true)} aria-label={`Edit: ${item.text}`}>
                <Pencil aria-hidden className="size-4" />
                Edit
              </Button>
              <Button variant="ghost" size="sm" onClick={() => void forget()} loading={remove.isPending} aria-label={`Delete: ${item.text}`}>
                <Trash2 aria-hidden className="size-4" />
                Delete
              </Button>
            </div>
          </div>
        )}
        {error ? <div className="mt-2"><FormProblem error={error} /></div> : null}
      </Card>
    </li>
  );
}

function AddMemoryForm({ clones }: { clones: { cloneId: string; name: string }[] }) {
  const toast = useToast();
  const add = useAddMemory();
  const [kind, setKind] = useState<MemoryKind>("goal");
  const [text, setText] = useState("");
  const [scope, setScope] = useState("shared");
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await add.mutateAsync({ kind, text: text.trim(), cloneId: scope === "shared" ? null : scope });
      setText("");
      toast({ title: "Remembered" });
    } catch (e) {
      setError(e);
    }
  };

  return (
    <Card className="p-4">
      <form onSubmit={(e) => void submit(e)} aria-label="Add a memory" className="grid gap-3 sm:grid-cols-[8rem_1fr]">
        <label className="text-sm font-medium text-slate-800">
          Kind
          <select className={cn(selectClasses, "mt-1")} value={kind} onChange={(e) => setKind(e.target.value as MemoryKind)}>
            <option value="goal">Goal</option>
            <option value="preference">Preference</option>
            <option value="fact">Fact</option>
          </select>
        </label>
        <label className="text-sm font-medium text-slate-800">
          What to remember
          <Input
            className="mt-1"
            value={text}
            maxLength={500}
            placeholder="e.g. Run a marathon in April"
            onChange={(e) => setText(e.target.value)}
            aria-invalid={errorsFor(error, "text").length ? true : undefined}
          />
        </label>
        <label className="text-sm font-medium text-slate-800 sm:col-span-2">
          For
          <select className={cn(selectClasses, "mt-1")} value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="shared">All my clones</option>
            {clones.map((c) => (
              <option key={c.cloneId} value={c.cloneId}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <div className="sm:col-span-2">
          <FormProblem error={error} />
          <Button type="submit" loading={add.isPending} disabled={text.trim().length === 0}>
            Add memory
          </Button>
        </div>
      </form>
    </Card>
  );
}

function CloneSettingsRow({ cloneId, name }: { cloneId: string; name: string }) {
  const settings = useCloneSettings(cloneId);
  const put = usePutCloneSettings(cloneId);
  const [error, setError] = useState<unknown>(null);
  if (settings.isPending) return <p className="mt-2 text-sm text-slate-500">Loading settings…</p>;
  if (settings.isError) return <p className="mt-2 text-sm text-slate-500">Settings unavailable for this clone.</p>;
  const current = settings.data;
  const style: CloneStyle = current.style ?? { length: null, tone: null };

  const save = async (memoryEnabled: boolean, next: CloneStyle) => {
    setError(null);
    try {
      await put.mutateAsync({ memoryEnabled, style: next.length || next.tone ? next : null });
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="mt-2 flex flex-wrap items-end gap-x-4 gap-y-3" data-testid="clone-settings">
      <label className="flex h-10 items-center gap-2 text-sm font-medium text-slate-800">
        <input
          type="checkbox"
          className="size-4 accent-brand-600"
          checked={current.memoryEnabled}
          disabled={put.isPending}
          onChange={(e) => void save(e.target.checked, style)}
        />
        Remember me with {name}
      </label>
      <label className="text-sm font-medium text-slate-800">
        Answer length
        <select
          className={cn(selectClasses, "mt-1 w-40")}
          value={style.length ?? ""}
          disabled={put.isPending}
          onChange={(e) => void save(current.memoryEnabled, { ...style, length: (e.target.value || null) as CloneStyle["length"] })}
        >
          <option value="">As in my profile</option>
          <option value="concise">Concise</option>
          <option value="detailed">Detailed</option>
        </select>
      </label>
      <label className="text-sm font-medium text-slate-800">
        Tone
        <select
          className={cn(selectClasses, "mt-1 w-40")}
          value={style.tone ?? ""}
          disabled={put.isPending}
          onChange={(e) => void save(current.memoryEnabled, { ...style, tone: (e.target.value || null) as CloneStyle["tone"] })}
        >
          <option value="">As in my profile</option>
          <option value="casual">Casual</option>
          <option value="formal">Formal</option>
        </select>
      </label>
      {!current.memoryEnabled ? <p className="basis-full text-xs text-slate-500">Memory is off: {name} learns nothing new and uses nothing above.</p> : null}
      {error ? <div className="basis-full"><FormProblem error={error} /></div> : null}
    </div>
  );
}
