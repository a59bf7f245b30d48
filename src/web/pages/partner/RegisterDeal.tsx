import { useState } from 'react';
import { DealForm } from './registrations/DealForm';
import { RegistrationOutcome } from './registrations/RegistrationOutcome';
import type { Registration } from './registrations/words';
import './registrations/registrations.css';

/** "Register a deal": the form with its live pre-check, then the decision and what happens next. */
export default function RegisterDeal() {
  const [registered, setRegistered] = useState<Registration>();
  const [formKey, setFormKey] = useState(0);
  return (
    <section aria-labelledby="register-heading">
      <h1 id="register-heading">Register a deal</h1>
      <p className="lead">
        Tell us about the account and the opportunity. The preview says what the rules would do before you register;
        registering claims the account and product line for you.
      </p>
      {registered ? (
        <RegistrationOutcome
          registration={registered}
          onAnother={() => {
            setRegistered(undefined);
            setFormKey((k) => k + 1);
          }}
        />
      ) : (
        <DealForm key={formKey} onRegistered={setRegistered} />
      )}
    </section>
  );
}
