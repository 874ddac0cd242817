package httpapi

// invitationRoutes are the survey distribution routes: invitations,
// suppressions, triggers and the funnel.
func (s *server) invitationRoutes() []route {
	return nil
}
