/** `executing`: a non-transactional store's mark while the write commits; it becomes `executed` after. */
export type ApprovalStatus = 'pending' | 'approved' | 'executing' | 'executed' | 'denied' | 'expired' | 'failed';
