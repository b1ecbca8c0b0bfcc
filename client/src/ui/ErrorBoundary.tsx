import { Component, type ReactNode } from 'react';

/**
 * Catches a rendering crash so one broken part does not blank the whole page; the fallback is
 * given the error and a reset, and rendered by a function so it can use the i18n hook.
 */
export class ErrorBoundary extends Component<{ fallback: (error: Error, reset: () => void) => ReactNode; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error) {
    console.error('render failed', error);
  }

  override render() {
    return this.state.error ? this.props.fallback(this.state.error, () => this.setState({ error: null })) : this.props.children;
  }
}
