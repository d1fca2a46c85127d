import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { ChatMessage } from '../../../api/live';
import { useNow } from '../../../components/time';
import type { RoomError } from './roomState';

export const CHAT_MAX = 200;

/**
 * The room's chat: the latest lines (newest at the bottom, kept in view unless the reader
 * scrolled up), and the input for signed-in viewers. Refusals from the room (too fast, muted)
 * show under the input. With `moderate`, each line gets mute and remove buttons (host, operators).
 */
export function ChatPanel({
  messages,
  onSend,
  error,
  clearError,
  canChat,
  connected,
  moderate,
  compact,
}: {
  messages: ChatMessage[];
  onSend: (body: string) => boolean;
  error: RoomError | null;
  clearError: () => void;
  canChat: boolean;
  connected: boolean;
  moderate?: { onMute: (m: ChatMessage) => void; onRemove: (m: ChatMessage) => void; mutedIds: ReadonlySet<number>; selfId?: number };
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const [draft, setDraft] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const chatError = error && (error.code === 'rate_limited' || error.code === 'muted' || error.code === 'bad_input' || error.code === 'unauthenticated') ? error : null;
  const waitUntil = chatError?.code === 'rate_limited' ? chatError.at + (chatError.retryAfterMs ?? 2000) : 0;
  const now = useNow(250, waitUntil > 0);
  const waiting = waitUntil > now;

  useEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const send = () => {
    const body = draft.trim();
    if (!body || body.length > CHAT_MAX || waiting) return;
    clearError();
    if (onSend(body)) setDraft('');
  };

  return (
    <section className={`live-chat${compact ? ' is-compact' : ''}`} data-testid="live-chat">
      <ol
        ref={list}
        className="live-chat-list"
        aria-live="polite"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {messages.length === 0 && <li className="muted small live-chat-empty">{t('live.chat.empty')}</li>}
        {messages.map((m) => (
          <li key={m.id} className="live-chat-line" data-testid="live-chat-line" data-message-id={m.id}>
            <span className="live-chat-name">{m.name}</span>
            <span className="live-chat-body">{m.body}</span>
            {moderate && m.accountId !== moderate.selfId && (
              <span className="live-chat-mod">
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  data-testid="live-chat-mute"
                  disabled={moderate.mutedIds.has(m.accountId)}
                  onClick={() => moderate.onMute(m)}
                >
                  {moderate.mutedIds.has(m.accountId) ? t('live.chat.muted') : t('live.chat.mute')}
                </button>
                <button type="button" className="btn btn-ghost btn-small" data-testid="live-chat-remove" onClick={() => moderate.onRemove(m)}>
                  {t('live.chat.remove')}
                </button>
              </span>
            )}
          </li>
        ))}
      </ol>
      {canChat ? (
        <form
          className="live-chat-form"
          onSubmit={(e) => {
            e.preventDefault();
            send();
          }}
        >
          <input
            value={draft}
            maxLength={CHAT_MAX}
            placeholder={connected ? t('live.chat.placeholder') : t('live.chat.connecting')}
            aria-label={t('live.chat.placeholder')}
            data-testid="live-chat-input"
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-small" data-testid="live-chat-send" disabled={!connected || !draft.trim() || waiting}>
            {t('live.chat.send')}
          </button>
        </form>
      ) : (
        <p className="small live-chat-signin">
          <Link to="/login" state={{ from: location.pathname }}>
            {t('live.chat.signIn')}
          </Link>
        </p>
      )}
      {chatError && (
        <p className="live-chat-error small" role="alert" data-testid="live-chat-error" data-code={chatError.code}>
          {chatError.code === 'rate_limited'
            ? waiting
              ? t('live.chat.tooFast', { s: Math.ceil((waitUntil - now) / 1000) })
              : t('live.chat.again')
            : chatError.code === 'muted'
              ? t('live.chat.youAreMuted')
              : chatError.message}
        </p>
      )}
    </section>
  );
}
