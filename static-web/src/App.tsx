import { lazy, Suspense, type ReactNode } from "react";
import { Link, Navigate, Route, Routes } from "react-router";
import { Layout } from "./components/layout/Layout";
import { buttonClasses } from "./components/ui/Button";
import { EmptyState, Loading } from "./components/ui/States";
import { CheckEmailPage } from "./features/auth/CheckEmailPage";
import { ForgotPasswordPage } from "./features/auth/ForgotPasswordPage";
import { LoginPage } from "./features/auth/LoginPage";
import { RequireAuth } from "./features/auth/RequireAuth";
import { ResetPasswordPage } from "./features/auth/ResetPasswordPage";
import { SignupPage } from "./features/auth/SignupPage";
import { VerifyPage } from "./features/auth/VerifyPage";
import { CloneDetailPage } from "./features/clones/CloneDetailPage";
import { MarketplacePage } from "./features/marketplace/MarketplacePage";
import { useTitle } from "./lib/useTitle";

// Pages most visitors never open are loaded on demand.
const BecomeCreatorPage = lazy(() => import("./features/creator/BecomeCreatorPage").then((m) => ({ default: m.BecomeCreatorPage })));
const ProfilePage = lazy(() => import("./features/profile/ProfilePage").then((m) => ({ default: m.ProfilePage })));
const StudioPage = lazy(() => import("./features/studio/StudioPage").then((m) => ({ default: m.StudioPage })));
const SessionsPage = lazy(() => import("./features/chat/SessionsPage").then((m) => ({ default: m.SessionsPage })));
const ChatPage = lazy(() => import("./features/chat/ChatPage").then((m) => ({ default: m.ChatPage })));
const WalletPage = lazy(() => import("./features/wallet/WalletPage").then((m) => ({ default: m.WalletPage })));
const CheckoutPage = lazy(() => import("./features/wallet/CheckoutPage").then((m) => ({ default: m.CheckoutPage })));
const StatementsPage = lazy(() => import("./features/statements/StatementsPage").then((m) => ({ default: m.StatementsPage })));
const StatementPage = lazy(() => import("./features/statements/StatementPage").then((m) => ({ default: m.StatementPage })));
const MyDashboardPage = lazy(() => import("./features/dashboard/DashboardPages").then((m) => ({ default: m.MyDashboardPage })));
const EarningsPage = lazy(() => import("./features/earnings/EarningsPage").then((m) => ({ default: m.EarningsPage })));
const AdminPayoutsPage = lazy(() => import("./features/earnings/AdminPayoutsPage").then((m) => ({ default: m.AdminPayoutsPage })));
// The admin console (issue 15): a tab bar over its sections; non-admins see "Admins only".
const AdminLayout = lazy(() => import("./features/admin/AdminLayout").then((m) => ({ default: m.AdminLayout })));
const AdminUsersPage = lazy(() => import("./features/admin/AdminUsersPage").then((m) => ({ default: m.AdminUsersPage })));
const AdminClonesPage = lazy(() => import("./features/admin/AdminClonesPage").then((m) => ({ default: m.AdminClonesPage })));
const AdminAuditPage = lazy(() => import("./features/admin/AdminAuditPage").then((m) => ({ default: m.AdminAuditPage })));
const AdminSessionPage = lazy(() => import("./features/admin/AdminSessionPage").then((m) => ({ default: m.AdminSessionPage })));
const ProgressPage = lazy(() => import("./features/progress/ProgressPage").then((m) => ({ default: m.ProgressPage })));
const MemoryPage = lazy(() => import("./features/memory/MemoryPage").then((m) => ({ default: m.MemoryPage })));
const CloneEditorPage = lazy(() => import("./features/studio/CloneEditorPage").then((m) => ({ default: m.CloneEditorPage })));

function Page({ children }: { children: ReactNode }) {
  return <Suspense fallback={<Loading />}>{children}</Suspense>;
}

function NotFoundPage() {
  useTitle("Page not found");
  return (
    <EmptyState
      title="Page not found"
      action={
        <Link to="/" className={buttonClasses("primary")}>
          Go to the marketplace
        </Link>
      }
    >
      The address may be mistyped, or the page has moved.
    </EmptyState>
  );
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<MarketplacePage />} />
        <Route path="clones/:slug" element={<CloneDetailPage />} />
        <Route path="signup" element={<SignupPage />} />
        <Route path="check-email" element={<CheckEmailPage />} />
        <Route path="verify" element={<VerifyPage />} />
        <Route path="login" element={<LoginPage />} />
        <Route path="forgot-password" element={<ForgotPasswordPage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="become-creator" element={<Page><BecomeCreatorPage /></Page>} />
        <Route path="profile" element={<RequireAuth><Page><ProfilePage /></Page></RequireAuth>} />
        <Route path="studio" element={<RequireAuth><Page><StudioPage /></Page></RequireAuth>} />
        {/* /studio/new and /studio/:id share one element so saving a new clone keeps the form mounted;
            /studio/:id/knowledge is a tab of the same editor. */}
        <Route path="studio/:id/:tab?" element={<RequireAuth><Page><CloneEditorPage /></Page></RequireAuth>} />
        <Route path="dashboard" element={<RequireAuth><Page><MyDashboardPage /></Page></RequireAuth>} />
        <Route path="sessions" element={<RequireAuth><Page><SessionsPage /></Page></RequireAuth>} />
        <Route path="sessions/:id" element={<RequireAuth><Page><ChatPage /></Page></RequireAuth>} />
        <Route path="progress" element={<RequireAuth><Page><ProgressPage /></Page></RequireAuth>} />
        <Route path="memory" element={<RequireAuth><Page><MemoryPage /></Page></RequireAuth>} />
        <Route path="wallet" element={<RequireAuth><Page><WalletPage /></Page></RequireAuth>} />
        <Route path="checkout/:id" element={<RequireAuth><Page><CheckoutPage /></Page></RequireAuth>} />
        <Route path="statements" element={<RequireAuth><Page><StatementsPage /></Page></RequireAuth>} />
        <Route path="statements/:id" element={<RequireAuth><Page><StatementPage /></Page></RequireAuth>} />
        <Route path="earnings" element={<RequireAuth><Page><EarningsPage /></Page></RequireAuth>} />
        <Route path="admin" element={<RequireAuth><Page><AdminLayout /></Page></RequireAuth>}>
          <Route index element={<Navigate to="/admin/users" replace />} />
          <Route path="users" element={<Page><AdminUsersPage /></Page>} />
          <Route path="clones" element={<Page><AdminClonesPage /></Page>} />
          <Route path="payouts" element={<Page><AdminPayoutsPage /></Page>} />
          <Route path="audit" element={<Page><AdminAuditPage /></Page>} />
          <Route path="sessions/:id" element={<Page><AdminSessionPage /></Page>} />
          {/* reports and verification: the moderation feature's pages (features/moderation), inside this shell. */}
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
