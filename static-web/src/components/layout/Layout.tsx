import { useEffect } from "react";
import { Link, Outlet, useLocation } from "react-router";
import { useAuth } from "../../features/auth/AuthProvider";
import { cn } from "../../lib/cn";
import { Navbar } from "./Navbar";

function ScrollToTop() {
  const { pathname } = useLocation();
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [pathname]);
  return null;
}

export function Layout() {
  const { config } = useAuth();
  const { pathname } = useLocation();
  // A chat runs down to its message box at the bottom of the screen: no footer under it.
  const chat = /^\/sessions\/[^/]+\/?$/.test(pathname);
  return (
    <div className="flex min-h-dvh flex-col">
      <a
        href="#main"
        className="sr-only z-50 rounded-lg bg-white px-4 py-2 text-sm font-medium shadow focus:not-sr-only focus:fixed focus:top-3 focus:left-3"
      >
        Skip to content
      </a>
      <ScrollToTop />
      <Navbar />
      <main id="main" className={cn("mx-auto w-full max-w-6xl flex-1 px-4 sm:px-6", chat ? "pt-6" : "py-8 sm:py-10")}>
        <Outlet />
      </main>
      {chat ? null : (
        <footer className="border-t border-slate-200 bg-white">
          <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-6 text-sm text-slate-500 sm:flex-row sm:items-center sm:justify-between sm:px-6">
            <p>© {new Date().getFullYear()} CloneAI — AI clones of real experts.</p>
            <div className="flex flex-wrap gap-x-4 gap-y-2">
              <Link to="/" className="hover:text-slate-800">
                Marketplace
              </Link>
              <Link to="/become-creator" className="hover:text-slate-800">
                For experts
              </Link>
              <Link to="/terms" className="hover:text-slate-800">
                Terms
              </Link>
              <Link to="/privacy" className="hover:text-slate-800">
                Privacy
              </Link>
              {config.version ? <span>v{config.version}</span> : null}
            </div>
          </div>
        </footer>
      )}
    </div>
  );
}
