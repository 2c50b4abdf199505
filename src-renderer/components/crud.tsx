import { useState } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Area } from '../../src-shared/domain/area';
import { ConfirmDialog, useFormErrors } from './forms';

export type Editing<T> = { readonly mode: 'create' } | { readonly mode: 'edit'; readonly item: T } | null;

/**
 * The state every list-with-a-form screen shares: which record the side form
 * edits, which one awaits delete confirmation, and what to tell the operator
 * afterwards. Deletion failures (a conflict, a record gone) are shown, not lost.
 */
export function useEditAndDelete<T>(remove: (item: T) => Promise<unknown>) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Editing<T>>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const deleteErrors = useFormErrors();

  const confirmDelete = async (item: T) => {
    try {
      await remove(item);
      setNotice(t('common.deleted'));
      deleteErrors.clear();
    } catch (error) {
      deleteErrors.fromError(error);
    } finally {
      setDeleting(null);
    }
  };

  return {
    editing,
    create: () => setEditing({ mode: 'create' }),
    edit: (item: T) => setEditing({ mode: 'edit', item }),
    closeForm: () => setEditing(null),
    saved: () => {
      setEditing(null);
      setNotice(t('common.saved'));
    },
    askDelete: setDeleting,
    /** The notices and the confirmation dialog, placed where the screen wants them. */
    banners: (
      <>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        {deleteErrors.errors.general && (
          <p className="error-banner" role="alert">
            {deleteErrors.errors.general}
          </p>
        )}
      </>
    ),
    confirmation: (message: (item: T) => string): ReactNode =>
      deleting && (
        <ConfirmDialog
          title={t('common.confirmTitle')}
          message={message(deleting)}
          confirmLabel={t('common.delete')}
          onConfirm={() => void confirmDelete(deleting)}
          onCancel={() => setDeleting(null)}
        />
      ),
  };
}

/** The areas as options of a select, labelled the same everywhere. */
export function AreaOptions({ areas }: { areas: readonly Area[] | undefined }) {
  return (
    <>
      {areas?.map((area) => (
        <option key={area.id} value={area.id}>
          {area.code} — {area.name}
        </option>
      ))}
    </>
  );
}
