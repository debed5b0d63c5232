import * as ToastPrimitive from "@radix-ui/react-toast";
import { CheckCircle2, AlertCircle, X } from "lucide-react";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { cn } from "../../lib/cn";

export interface ToastMessage {
  title: string;
  description?: string;
  tone?: "success" | "error";
}

interface ToastItem extends ToastMessage {
  id: number;
  open: boolean;
}

const ToastContext = createContext<(message: ToastMessage) => void>(() => {});

export function useToast(): (message: ToastMessage) => void {
  return useContext(ToastContext);
}

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [items, setItems] = useState<ToastItem[]>([]);
  const show = useCallback((message: ToastMessage) => {
    const id = nextId++;
    setItems((current) => [...current.slice(-2), { ...message, id, open: true }]);
  }, []);
  const value = useMemo(() => show, [show]);

  return (
    <ToastContext.Provider value={value}>
      <ToastPrimitive.Provider swipeDirection="right" duration={4500}>
        {children}
        {items.map((item) => (
          <ToastPrimitive.Root
            key={item.id}
            open={item.open}
            onOpenChange={(open) => {
              if (!open) {
                setItems((current) => current.map((t) => (t.id === item.id ? { ...t, open: false } : t)));
                setTimeout(() => setItems((current) => current.filter((t) => t.id !== item.id)), 300);
              }
            }}
            className={cn(
              "flex items-start gap-3 rounded-xl border bg-white p-4 pr-10 shadow-lg shadow-slate-900/10 animate-slide-in",
              "data-[swipe=end]:animate-fade-in data-[state=closed]:opacity-0 transition-opacity",
              item.tone === "error" ? "border-red-200" : "border-slate-200",
            )}
          >
            {item.tone === "error" ? (
              <AlertCircle aria-hidden className="mt-0.5 size-5 shrink-0 text-red-500" />
            ) : (
              <CheckCircle2 aria-hidden className="mt-0.5 size-5 shrink-0 text-emerald-500" />
            )}
            <div className="min-w-0">
              <ToastPrimitive.Title className="text-sm font-semibold text-slate-900">{item.title}</ToastPrimitive.Title>
              {item.description ? (
                <ToastPrimitive.Description className="mt-0.5 text-sm text-slate-600">
                  {item.description}
                </ToastPrimitive.Description>
              ) : null}
            </div>
            <ToastPrimitive.Close
              aria-label="Dismiss notification"
              className="absolute top-3 right-3 rounded-md p-1 text-slate-400 hover:bg-slate-100 hover:text-slate-600"
            >
              <X aria-hidden className="size-4" />
            </ToastPrimitive.Close>
          </ToastPrimitive.Root>
        ))}
        <ToastPrimitive.Viewport className="fixed top-16 right-0 z-[100] flex w-full max-w-sm flex-col gap-2 p-4 outline-none [&>li]:relative" />
      </ToastPrimitive.Provider>
    </ToastContext.Provider>
  );
}
