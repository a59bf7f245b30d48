import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, call } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import type { BodyOf } from '../../../api/types';
import { Field } from '../../../ui/Field';
import { ErrorNotice } from '../../../ui/notices';
import {
  DOCUMENT_FIELDS,
  DURATION_HINT,
  documentOf,
  documentText,
  editorValuesOf,
  fieldForPath,
  fieldName,
  lineOf,
  linesOfPaths,
  type DocumentField,
  type EditorValues,
  type PolicyDocumentJson,
} from './policyDocument';
import type { PolicyVersion } from './policyWords';

type PolicyBody = BodyOf<'/api/policies', 'post'>;

interface DocumentProblem {
  line: number;
  path: string;
  message: string;
}

/**
 * A draft's editor: the common settings as fields, the rest as the JSON "Policy document". A new
 * draft is created on its first save (POST), an existing one replaced (PUT); the API's refusals
 * are shown at the field they name, or at the document's line for that path.
 */
export function DraftEditor({
  base,
  draftVersion,
  onSaved,
  onClose,
}: {
  base: PolicyDocumentJson;
  draftVersion?: number;
  onSaved: (policy: PolicyVersion) => void;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<EditorValues>({ defaultValues: editorValuesOf(base) });
  const { register, handleSubmit, setError, clearErrors, setValue, formState } = form;
  const [documentProblems, setDocumentProblems] = useState<DocumentProblem[]>([]);
  const [refusal, setRefusal] = useState<string>();

  const save = useMutation({
    mutationFn: (document: PolicyDocumentJson) => {
      const body = document as unknown as PolicyBody;
      return draftVersion === undefined
        ? call(api.POST('/api/policies', { body }))
        : call(api.PUT('/api/policies/{version}', { params: { path: { version: draftVersion } }, body }));
    },
    onSuccess: async (policy) => {
      await queryClient.invalidateQueries({ queryKey: ['policies'] });
      onSaved(policy);
    },
  });

  const showProblems = (fieldErrors: { path: string; message: string }[], rest: unknown) => {
    const lines = linesOfPaths(rest);
    const atDocument: DocumentProblem[] = [];
    for (const problem of fieldErrors) {
      const field = fieldForPath(problem.path);
      if (field) setError(`fields.${fieldName(field)}`, { type: 'server', message: problem.message });
      else atDocument.push({ ...problem, line: lineOf(lines, problem.path) });
    }
    setDocumentProblems(atDocument);
    setRefusal(
      `The draft was not saved: ${fieldErrors.length} ${fieldErrors.length === 1 ? 'problem' : 'problems'}, shown at ${fieldErrors.length === 1 ? 'its field' : 'their fields'}.`,
    );
  };

  const onSubmit = handleSubmit(async (values) => {
    clearErrors();
    setDocumentProblems([]);
    setRefusal(undefined);
    const merged = documentOf(values);
    if (!merged.ok) {
      if (merged.documentError) setError('document', { type: 'client', message: merged.documentError });
      showProblems(
        Object.entries(merged.fieldErrors).map(([path, message]) => ({ path, message })),
        {},
      );
      if (merged.documentError) setRefusal('The draft was not saved: the policy document is not valid JSON.');
      return;
    }
    // Laid out as the lines below count them, so "line 12" is line 12 of what the person sees.
    const rest = JSON.parse(values.document) as unknown;
    setValue('document', documentText(rest));
    try {
      await save.mutateAsync(merged.document);
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 400 && error.fieldErrors.length > 0)
        showProblems(error.fieldErrors, rest);
    }
  });

  const fieldError = (field: DocumentField) => formState.errors.fields?.[fieldName(field)]?.message;
  const documentError = formState.errors.document?.message;
  const documentInvalid = Boolean(documentError) || documentProblems.length > 0;

  return (
    <form className="card draft-editor" onSubmit={onSubmit} noValidate aria-labelledby="draft-editor-heading">
      <h2 id="draft-editor-heading">
        {draftVersion === undefined ? 'New draft' : `Edit draft version ${draftVersion}`}
      </h2>
      <p className="field-hint">
        {draftVersion === undefined
          ? 'Starts from the version in effect. Saving creates the draft; nothing changes for partners until it is published.'
          : 'Saving replaces this draft. Nothing changes for partners until it is published.'}
      </p>
      {refusal ? (
        <p role="alert" className="notice notice-error">
          {refusal}
        </p>
      ) : null}
      {save.error &&
      !(save.error instanceof ApiProblem && save.error.status === 400 && save.error.fieldErrors.length) ? (
        <ErrorNotice error={save.error} />
      ) : null}
      <p className="field-hint" id="policy-duration-hint">
        Periods and SLAs: {DURATION_HINT}
      </p>
      <div className="editor-fields">
        {DOCUMENT_FIELDS.map((field) => {
          const id = `policy-${fieldName(field)}`;
          const error = fieldError(field);
          const hint = field.hint;
          return (
            <Field
              key={field.path}
              id={id}
              label={field.label}
              hint={hint}
              error={error}
              describedAlsoBy={field.kind === 'duration' ? ['policy-duration-hint'] : []}
            >
              {(control) => (
                <input
                  {...control}
                  inputMode={field.kind === 'amount' || field.kind === 'integer' ? 'decimal' : undefined}
                  {...register(`fields.${fieldName(field)}`)}
                />
              )}
            </Field>
          );
        })}
      </div>
      <div className="field">
        <label htmlFor="policy-document">Policy document</label>
        <p className="field-hint" id="policy-document-hint">
          Everything else, as JSON: calendar, routes, reminders, the escalation ladder, exchange rates and the playbook.
        </p>
        <textarea
          id="policy-document"
          className="policy-document"
          spellCheck={false}
          rows={18}
          aria-invalid={documentInvalid ? 'true' : undefined}
          aria-describedby={`policy-document-hint${documentInvalid ? ' policy-document-errors' : ''}`}
          {...register('document')}
        />
        {documentInvalid ? (
          <ul className="field-error document-problems" id="policy-document-errors">
            {documentError ? <li>{documentError}</li> : null}
            {documentProblems.map((problem) => (
              <li key={`${problem.path}:${problem.message}`}>
                Line {problem.line}
                {problem.path ? (
                  <>
                    , <code>{problem.path}</code>
                  </>
                ) : null}
                : {problem.message}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save draft'}
        </button>
        <button type="button" onClick={onClose}>
          Close editor
        </button>
      </div>
    </form>
  );
}
