import { Route, Routes, useParams } from 'react-router';
import { RegistrationDetail } from './registrations/RegistrationDetail';
import { RegistrationTable } from './registrations/RegistrationTable';
import './registrations/registrations.css';

/** "My registrations": the list, and the selected one beside it at /registrations/<id>. */
export default function MyRegistrations() {
  return (
    <Routes>
      <Route index element={<RegistrationsView />} />
      <Route path=":id" element={<RegistrationsView />} />
    </Routes>
  );
}

function RegistrationsView() {
  const { id } = useParams();
  return (
    <section aria-labelledby="my-registrations-heading">
      <h1 id="my-registrations-heading">My registrations</h1>
      <div className="split">
        <section aria-labelledby="list-heading">
          <h2 id="list-heading" className="visually-hidden">
            Your registrations
          </h2>
          <RegistrationTable selectedId={id} />
        </section>
        {id ? (
          <RegistrationDetail key={id} id={id} />
        ) : (
          <section className="card" aria-label="Registration">
            <p className="empty">Choose a registration to see its timeline and what you can do.</p>
          </section>
        )}
      </div>
    </section>
  );
}
