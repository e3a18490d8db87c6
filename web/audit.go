package web

import (
	"net/http"

	"gongkai/store"
)

// auditLimit is how many audit lines the staff page shows.
const auditLimit = 200

// auditView is the staff page of purges and lifts.
type auditView struct {
	Entries []store.AuditEntry
}

// handleAudit lists the latest purges (gongkai purge) and lifts: who, when,
// which document and why.
func (s *Server) handleAudit(w http.ResponseWriter, r *http.Request) {
	entries, err := s.st.AuditLog(r.Context(), auditLimit)
	if err != nil {
		s.serverError(w, r, "audit log", err)
		return
	}
	s.render(w, r, http.StatusOK, "audit.html", "撤下记录", auditView{Entries: entries})
}

// auditActionLabel names an audit action for staff.
func auditActionLabel(action string) string {
	switch action {
	case store.AuditPurge:
		return "永久撤下"
	case store.AuditLift:
		return "解除撤下"
	}
	return action
}
