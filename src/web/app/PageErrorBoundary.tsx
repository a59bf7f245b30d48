import { Component, type ReactNode } from 'react';

interface Props {
  /** Changes when the person moves to another page: the boundary starts afresh there. */
  page: string;
  children: ReactNode;
}

/**
 * A page that fails to load (its code cut off by a lost connection) or to draw says so in words
 * and offers a reload; the frame around it — navigation, sign-out, the connection banner — stays.
 */
export class PageErrorBoundary extends Component<Props, { failed: boolean; page: string }> {
  override state = { failed: false, page: this.props.page };

  static getDerivedStateFromError(): Partial<{ failed: boolean }> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: Props, state: { failed: boolean; page: string }) {
    return props.page === state.page ? null : { failed: false, page: props.page };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <section role="alert" className="notice notice-error">
        <h1>This page could not be shown</h1>
        <p>Its content did not arrive — the connection to the server may have been lost.</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload the page
        </button>
      </section>
    );
  }
}
