import { Route, Routes, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../../api/client';
import { ErrorNotice, Loading } from '../../ui/notices';
import { InboxList } from './inbox/InboxList';
import { RegistrationReview } from './inbox/RegistrationReview';
import { ConflictCaseDetail } from './inbox/ConflictCaseDetail';
import { usePartnerNames } from '../../api/usePartnerNames';
import './inbox/inbox.css';

// The manager's inbox: reviews and conflict cases waiting on their tier, soonest due first, the
// chosen one opened beside the list (/inbox/registration/<id>, /inbox/conflict/<id>). Live: the
// event stream refreshes every query, so a decision or an escalation shows without a reload.

export default function Inbox() {
  const inbox = useQuery({ queryKey: ['inbox'], queryFn: () => call(api.GET('/api/inbox')) });
  const partnerName = usePartnerNames();
  return (
    <section>
      <h1>Inbox</h1>
      <div className="split">
        <section aria-labelledby="inbox-list-heading">
          <h2 id="inbox-list-heading">Waiting on you{inbox.data ? ` (${inbox.data.items.length})` : ''}</h2>
          {inbox.isPending ? <Loading what="your inbox" /> : null}
          {inbox.isError ? <ErrorNotice error={inbox.error} /> : null}
          {inbox.data ? (
            <Routes>
              <Route
                path=":kind/:id"
                element={<ListWithSelection items={inbox.data.items} partnerName={partnerName} />}
              />
              <Route path="*" element={<InboxList items={inbox.data.items} partnerName={partnerName} />} />
            </Routes>
          ) : null}
        </section>
        <Routes>
          <Route path="registration/:id" element={<OpenRegistration partnerName={partnerName} />} />
          <Route path="conflict/:id" element={<OpenConflict />} />
          <Route
            path="*"
            element={<p className="card inbox-hint">Choose a registration or a conflict case to open it here.</p>}
          />
        </Routes>
      </div>
    </section>
  );
}

function ListWithSelection(props: Omit<Parameters<typeof InboxList>[0], 'selected'>) {
  const { kind, id } = useParams();
  const selected = `${kind === 'conflict' ? 'conflict' : 'registration_review'}/${id}`;
  return <InboxList {...props} selected={selected} />;
}

function OpenRegistration({ partnerName }: { partnerName: (id: string) => string }) {
  const { id = '' } = useParams();
  return <RegistrationReview key={id} id={id} partnerName={partnerName} />;
}

function OpenConflict() {
  const { id = '' } = useParams();
  return <ConflictCaseDetail key={id} id={id} />;
}
