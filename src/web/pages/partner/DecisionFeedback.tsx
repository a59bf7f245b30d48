import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { ErrorNotice } from '../../ui/notices';
import './feedback.css';

// "How was this decision for you?": the partner rates a decision on its registration or conflict
// case 1–5 with a comment, and may rate it again. The emails of decisions link here (#feedback).

const WORDS = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

export function DecisionFeedback({
  kind,
  id,
  decidedAt,
}: {
  kind: 'registration' | 'conflict';
  id: string;
  decidedAt: string;
}) {
  const queryClient = useQueryClient();
  const key = ['feedback', kind, id];
  const path = kind === 'registration' ? '/api/registrations/{id}/feedback' : '/api/conflicts/{id}/feedback';
  const ratings = useQuery({
    queryKey: key,
    queryFn: () => call(api.GET(path, { params: { path: { id } } })),
  });
  const mine = ratings.data?.items.find((item) => item.decision.decidedAt === decidedAt);
  const [rating, setRating] = useState<number | undefined>();
  const [comment, setComment] = useState<string | undefined>();
  const [thanks, setThanks] = useState('');
  const rate = useMutation({
    mutationFn: (body: { rating: number; comment?: string }) =>
      call(api.POST(path, { params: { path: { id } }, body })),
    onSuccess: async (saved) => {
      setThanks(`Thank you: you rated this decision ${saved.rating} of 5 (${WORDS[saved.rating].toLowerCase()}).`);
      await queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const chosen = rating ?? mine?.rating;
  const text = comment ?? mine?.comment ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setThanks('');
    rate.mutate({ rating: chosen, ...(text.trim() ? { comment: text.trim() } : {}) });
  };
  return (
    <section id="feedback" className="feedback" aria-labelledby={`feedback-${id}`}>
      <h3 id={`feedback-${id}`}>How was this decision for you?</h3>
      {mine && !thanks ? (
        <p className="field-hint">
          You rated it {mine.rating} of 5 ({WORDS[mine.rating].toLowerCase()}); you may change your rating.
        </p>
      ) : null}
      <form onSubmit={submit}>
        <fieldset className="rating">
          <legend>Your rating</legend>
          {[1, 2, 3, 4, 5].map((n) => (
            <label key={n} className="check">
              <input
                type="radio"
                name={`rating-${id}`}
                value={n}
                checked={chosen === n}
                onChange={() => setRating(n)}
              />
              {n} — {WORDS[n]}
            </label>
          ))}
        </fieldset>
        <label htmlFor={`feedback-comment-${id}`}>Comment (optional)</label>
        <textarea
          id={`feedback-comment-${id}`}
          maxLength={2000}
          rows={2}
          value={text}
          onChange={(e) => setComment(e.target.value)}
        />
        <p>
          <button type="submit" disabled={!chosen || rate.isPending}>
            {mine ? 'Update my rating' : 'Send my rating'}
          </button>
        </p>
      </form>
      <p role="status" className={thanks ? 'notice notice-ok' : 'visually-hidden'}>
        {thanks}
      </p>
      <ErrorNotice error={rate.error ?? ratings.error} />
    </section>
  );
}
