import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { Banknote, BarChart3, Brain, LayoutDashboard, ListChecks, LogOut, Menu, MessagesSquare, ShieldCheck, Sparkles, Store, UserRound } from "lucide-react";
import type { ReactNode } from "react";
import { Link, NavLink, useNavigate } from "react-router";
import { useAuth } from "../../features/auth/AuthProvider";
import { BalanceChip } from "../../features/wallet/BalanceChip";
import { cn } from "../../lib/cn";
import { Avatar } from "../ui/Avatar";
import { buttonClasses } from "../ui/Button";
import { LogoMark } from "./Logo";

const navLinkClass = ({ isActive }: { isActive: boolean }) =>
  cn(
    "rounded-lg px-3 py-2 text-sm font-medium transition-colors",
    isActive ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900",
  );

const menuContentClass =
  "z-50 min-w-56 overflow-hidden rounded-xl border border-slate-200 bg-white p-1 shadow-xl shadow-slate-900/10 animate-fade-in";
const menuItemClass =
  "flex h-9 cursor-pointer items-center gap-2.5 rounded-lg px-2.5 text-sm text-slate-700 outline-none select-none data-[highlighted]:bg-slate-100 data-[highlighted]:text-slate-900";

function MenuLink({ to, icon, children }: { to: string; icon: ReactNode; children: ReactNode }) {
  return (
    <DropdownMenu.Item asChild className={menuItemClass}>
      <Link to={to}>
        <span aria-hidden className="text-slate-400">
          {icon}
        </span>
        {children}
      </Link>
    </DropdownMenu.Item>
  );
}

export function Navbar() {
  const { status, me, logout } = useAuth();
  const navigate = useNavigate();
  const isCreator = !!me && (me.isCreator || me.isAdmin || me.roles.includes("creator"));

  const onLogout = async () => {
    await logout();
    navigate("/");
  };

  return (
    <header className="sticky top-0 z-40 border-b border-slate-200/80 bg-white/85 backdrop-blur-md supports-[backdrop-filter]:bg-white/70">
      <nav aria-label="Main" className="mx-auto flex h-16 max-w-6xl items-center gap-2 px-4 sm:px-6">
        <Link to="/" className="mr-2 flex items-center gap-2 rounded-lg pr-1 text-lg font-bold tracking-tight text-slate-900">
          <LogoMark />
          <span>
            Clone<span className="text-brand-600">AI</span>
          </span>
        </Link>

        <div className="hidden items-center gap-1 md:flex">
          <NavLink to="/" end className={navLinkClass}>
            Marketplace
          </NavLink>
          {me ? (
            <NavLink to="/sessions" className={navLinkClass}>
              My sessions
            </NavLink>
          ) : null}
          {isCreator ? (
            <NavLink to="/studio" className={navLinkClass}>
              Studio
            </NavLink>
          ) : (
            <NavLink to="/become-creator" className={navLinkClass}>
              For experts
            </NavLink>
          )}
          {me?.isAdmin ? (
            <NavLink to="/admin" className={navLinkClass}>
              Admin
            </NavLink>
          ) : null}
        </div>

        <div className="ml-auto flex items-center gap-2">
          <DropdownMenu.Root modal={false}>
            <DropdownMenu.Trigger
              aria-label="Open menu"
              className="inline-flex size-10 items-center justify-center rounded-lg text-slate-600 hover:bg-slate-100 md:hidden"
            >
              <Menu aria-hidden className="size-5" />
            </DropdownMenu.Trigger>
            <DropdownMenu.Portal>
              <DropdownMenu.Content align="end" sideOffset={8} className={menuContentClass}>
                <MenuLink to="/" icon={<Store className="size-4" />}>
                  Marketplace
                </MenuLink>
                {me ? (
                  <MenuLink to="/sessions" icon={<MessagesSquare className="size-4" />}>
                    My sessions
                  </MenuLink>
                ) : null}
                {isCreator ? (
                  <MenuLink to="/studio" icon={<LayoutDashboard className="size-4" />}>
                    Studio
                  </MenuLink>
                ) : (
                  <MenuLink to="/become-creator" icon={<Sparkles className="size-4" />}>
                    For experts
                  </MenuLink>
                )}
                {me?.isAdmin ? (
                  <MenuLink to="/admin" icon={<ShieldCheck className="size-4" />}>
                    Admin
                  </MenuLink>
                ) : null}
              </DropdownMenu.Content>
            </DropdownMenu.Portal>
          </DropdownMenu.Root>

          <BalanceChip />
          {status === "signedIn" && me ? (
            <DropdownMenu.Root modal={false}>
              <DropdownMenu.Trigger className="flex items-center gap-2 rounded-full p-0.5 ring-offset-2 hover:ring-2 hover:ring-brand-200">
                {/* The name comes from this text, not aria-label: the avatar's initials are visible and would not be part of it. */}
                <span className="sr-only">Account menu</span>
                <Avatar name={me.displayName} seed={me.id} src={me.avatarUrl} className="size-9 text-sm" />
              </DropdownMenu.Trigger>
              <DropdownMenu.Portal>
                <DropdownMenu.Content align="end" sideOffset={8} className={menuContentClass}>
                  <div className="px-2.5 py-2">
                    <p className="truncate text-sm font-semibold text-slate-900">{me.displayName}</p>
                    <p className="truncate text-xs text-slate-500">{me.email}</p>
                  </div>
                  <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
                  <MenuLink to="/profile" icon={<UserRound className="size-4" />}>
                    Profile
                  </MenuLink>
                  <MenuLink to="/sessions" icon={<MessagesSquare className="size-4" />}>
                    My sessions
                  </MenuLink>
                  <MenuLink to="/progress" icon={<ListChecks className="size-4" />}>
                    My progress
                  </MenuLink>
                  <MenuLink to="/memory" icon={<Brain className="size-4" />}>
                    Memory
                  </MenuLink>
                  {isCreator ? (
                    <>
                      <MenuLink to="/studio" icon={<LayoutDashboard className="size-4" />}>
                        Studio
                      </MenuLink>
                      <MenuLink to="/dashboard" icon={<BarChart3 className="size-4" />}>
                        Dashboard
                      </MenuLink>
                    </>
                  ) : (
                    <MenuLink to="/become-creator" icon={<Sparkles className="size-4" />}>
                      Become a creator
                    </MenuLink>
                  )}
                  {isCreator ? (
                    <MenuLink to="/earnings" icon={<Banknote className="size-4" />}>
                      Earnings
                    </MenuLink>
                  ) : null}
                  {me.isAdmin ? (
                    <MenuLink to="/admin" icon={<ShieldCheck className="size-4" />}>
                      Admin
                    </MenuLink>
                  ) : null}
                  <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
                  <DropdownMenu.Item className={menuItemClass} onSelect={() => void onLogout()}>
                    <LogOut aria-hidden className="size-4 text-slate-400" />
                    Log out
                  </DropdownMenu.Item>
                </DropdownMenu.Content>
              </DropdownMenu.Portal>
            </DropdownMenu.Root>
          ) : status === "signedOut" ? (
            <>
              <Link to="/login" className={buttonClasses("ghost", "md", "px-3")}>
                Log in
              </Link>
              <Link to="/signup" className={buttonClasses("primary", "md", "px-3 sm:px-4")}>
                Sign up
              </Link>
            </>
          ) : (
            <span aria-hidden className="size-9 animate-pulse rounded-full bg-slate-200" />
          )}
        </div>
      </nav>
    </header>
  );
}
